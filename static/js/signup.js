// The sign-up page as it is filled in: who goes to which session, who waits, and the price.
// The page works without this: the server answers a full session with a message at that
// board member, and the page after saving shows the same summary.
(function () {
  "use strict";
  var form = document.querySelector("form.signup-form");
  var output = document.getElementById("price-live");
  if (!form || !output) { return; }
  var tiers = JSON.parse(output.getAttribute("data-tiers") || "{}");
  var sizes = Object.keys(tiers).map(Number);
  var total = document.getElementById("price-total");
  var summary = document.getElementById("samenvatting");
  var list = document.getElementById("samenvatting-lijst");
  var groupWait = form.querySelector("[data-group-wait]");
  var format = new Intl.NumberFormat(document.documentElement.lang === "en" ? "en-GB" : "nl-NL", {
    style: "currency", currency: "EUR"
  });

  // The cheapest way to seat n people with the tiers, as registrations/pricing.py does.
  function groupPrice(n) {
    var cheapest = [0];
    for (var k = 1; k <= n; k++) {
      var best = Infinity;
      sizes.forEach(function (size) {
        var cost = Number(tiers[size]) + cheapest[Math.max(k - size, 0)];
        if (cost < best) { best = cost; }
      });
      cheapest.push(sizes.length ? best : 0);
    }
    return cheapest[n];
  }

  function text(name, values) {
    return summary.getAttribute(name).replace(/\{(\w+)\}/g, function (all, key) {
      return values[key];
    });
  }

  // A session's title without the "(nog 3 plaatsen)" the list adds to it.
  function title(option) {
    return option.textContent.replace(/\s*\([^()]*\)\s*$/, "");
  }

  function roomElsewhere(select) {
    return Array.prototype.filter.call(select.options, function (option) {
      return option.value && option !== select.selectedOptions[0] &&
        !option.disabled && !option.hasAttribute("data-full");
    }).map(title);
  }

  // Show the choice to wait at a member who picked a full session, with where there is room.
  function showWaitChoice(row, select, option) {
    var choice = row.querySelector("[data-wait-choice]");
    if (!choice) { return; }
    var full = Boolean(option && option.hasAttribute("data-full"));
    var box = choice.querySelector("input[type=checkbox]");
    choice.hidden = !full;
    if (!full && box) { box.checked = false; }
    var note = choice.querySelector("[data-full-note]");
    var refused = row.querySelector(".is-invalid");  // the server said it already
    note.hidden = !full || Boolean(refused);
    if (full) {
      var rooms = roomElsewhere(select);
      note.textContent = note.getAttribute("data-text") +
        (rooms.length ? " " + note.getAttribute("data-text-rooms") + " " + rooms.join(", ") + "." : "");
    }
  }

  function update() {
    var lines = [];
    var people = [];
    document.querySelectorAll("[data-member]").forEach(function (row) {
      var name = row.querySelector("input[name$='-name']");
      var select = row.querySelector("select[name$='-session']");
      var option = select && select.selectedOptions[0];
      showWaitChoice(row, select, option);
      if (!name || name.value.trim() === "") { return; }
      var box = row.querySelector("input[name$='-wait_if_full']");
      people.push({
        name: name.value.trim(),
        session: option && option.value ? title(option) : "",
        full: Boolean(option && option.hasAttribute("data-full")),
        waits: Boolean(option && option.hasAttribute("data-full") && box && box.checked)
      });
    });
    var coming = people.filter(function (p) { return !p.waits; }).length;
    var left = groupWait ? groupWait.getAttribute("data-places-left") : "";
    var tooMany = left !== "" && coming > Number(left);
    var groupBox = groupWait && groupWait.querySelector("input[type=checkbox]");
    var wholeGroupWaits = Boolean(groupBox && groupBox.checked && tooMany);
    if (groupWait) {
      groupWait.hidden = !(tooMany || (groupBox && groupBox.checked) || groupWait.querySelector(".is-invalid"));
    }
    people.forEach(function (p) {
      if (!p.session) {
        lines.push(text("data-pick", p));
      } else if (p.waits || wholeGroupWaits) {
        lines.push(text("data-waits", p));
      } else if (p.full) {
        lines.push(text("data-full", p));
      } else {
        lines.push(text("data-goes", p));
      }
    });
    if (wholeGroupWaits) {
      lines.push(summary.getAttribute("data-group-waits"));
    } else if (tooMany) {
      lines.push(text("data-too-many", {left: left}));
    }
    list.replaceChildren.apply(list, lines.map(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      return item;
    }));
    summary.hidden = lines.length === 0;

    var paying = wholeGroupWaits ? 0 : coming;
    var shown = people.length ? paying : 1;
    var label = output.getAttribute(shown === 1 ? "data-label-one" : "data-label-many");
    total.textContent = format.format(groupPrice(shown)) + " (" + shown + " " + label + ")";
  }

  output.hidden = false;
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
