// The main menu folds into its button on small screens. Without this
// script it simply stays open, so every page works without it.
(function () {
  var menu = document.querySelector("details.menu");
  if (menu && window.matchMedia("(max-width: 40rem)").matches) {
    menu.removeAttribute("open");
  }
})();

// A refused form: the focus goes to the list of its problems, so that a
// screen reader reads them and Tab goes on to the first field.
(function () {
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();

// A button that does what cannot be undone asks first (data-confirm).
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
