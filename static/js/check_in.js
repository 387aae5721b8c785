// Check-in, made quicker for a tablet. Without this script the page works the same on the
// server: the search is a form, each tap a POST that comes back to the same search.
// - The list is filtered as staff type.
// - A tap is sent in the background; the person's row and the counts are replaced by what the
//   server answers, so the list keeps its place. Should that fail, the form is sent as usual.
(function () {
  "use strict";
  var box = document.querySelector("[data-check-in-search]");
  var list = document.querySelector(".check-in-list");
  if (!box || !list || !window.fetch) return;
  var none = document.getElementById("check-in-none");
  var counts = document.getElementById("check-in-counts");

  function filter() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var rows = list.querySelectorAll(".check-in-row");
    var shown = 0;
    Array.prototype.forEach.call(rows, function (row) {
      var text = row.getAttribute("data-search");
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      row.hidden = !match;
      if (match) shown += 1;
    });
    if (none) none.hidden = shown > 0 || rows.length === 0;
  }

  function send(form, button) {
    var body = new FormData(form);
    body.append(button.name, button.value);
    button.disabled = true;
    // Not form.action: the buttons are called "action", and that name hides the property.
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: body,
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var holder = document.createElement("ul");
        holder.innerHTML = data.row;
        var row = holder.firstElementChild;
        form.parentNode.replaceWith(row);
        counts.innerHTML = data.counts;
        row.querySelector("button").focus();
        filter();
      })
      .catch(function () {
        var choice = document.createElement("input");
        choice.type = "hidden";
        choice.name = button.name;
        choice.value = button.value;
        form.appendChild(choice);
        form.submit();
      });
  }

  box.addEventListener("input", filter);
  list.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button) return;
    event.preventDefault();
    send(event.target, button);
  });
})();
