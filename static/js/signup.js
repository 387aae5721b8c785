// Live price on the sign-up page: counts the board-member rows with a name and shows the
// group price. The page works without this; it only adds the running total.
(function () {
  "use strict";
  // A refused form: put the keyboard and the screen reader on the list of errors. The
  // summary's autofocus attribute does the same without JavaScript; this covers browsers that
  // skip autofocus (e.g. a page restored from history).
  var summary = document.getElementById("foutmeldingen");
  if (summary && document.activeElement !== summary) { summary.focus(); }

  var output = document.getElementById("price-live");
  if (!output) { return; }
  var tiers = JSON.parse(output.getAttribute("data-tiers") || "{}");
  var sizes = Object.keys(tiers).map(Number);
  var total = document.getElementById("price-total");
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

  function update() {
    var rows = document.querySelectorAll("[data-member]");
    var count = 0;
    rows.forEach(function (row) {
      var name = row.querySelector("input[name$='-name']");
      if (name && name.value.trim() !== "") { count += 1; }
    });
    var shown = Math.max(count, 1);
    var label = output.getAttribute(shown === 1 ? "data-label-one" : "data-label-many");
    total.textContent = format.format(groupPrice(shown)) + " (" + shown + " " + label + ")";
  }

  output.hidden = false;
  document.addEventListener("input", update);
  update();
})();
