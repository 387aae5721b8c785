// The admin's autocomplete boxes (Select2) are named only by the text chosen in them: with
// nothing chosen yet, a screen reader announced a box without a name. Name each box after the
// label of the list it stands for, followed by what is chosen. This file comes after the
// admin's autocomplete.js, so its ready handler runs after the one that makes the boxes.
django.jQuery(function () {
  "use strict";
  document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    var box = select.nextElementSibling;
    var combobox = box && box.querySelector(".select2-selection");
    var rendered = box && box.querySelector(".select2-selection__rendered");
    if (!label || !combobox || !rendered) { return; }
    label.id = label.id || select.id + "_label";
    rendered.setAttribute("aria-labelledby", label.id);
    combobox.setAttribute("aria-labelledby", label.id + " " + rendered.id);
  });
});
