// The main menu folds into its button on small screens. Without this
// script it simply stays open, so every page works without it.
(function () {
  var menu = document.querySelector("details.menu");
  if (menu && window.matchMedia("(max-width: 40rem)").matches) {
    menu.removeAttribute("open");
  }
})();
