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

// What is typed into a form marked data-keep is kept in this tab when it
// is sent, and put back if the form comes back empty: after a login that
// an ended session asked for, or a request refused as too long. Any page
// that says something was saved (a .notice) lets the kept text go.
(function () {
  var DAY = 24 * 60 * 60 * 1000;
  var PREFIX = "dongari-draft:";
  function typed(field) {
    return field.tagName === "TEXTAREA" || field.type === "text" || field.type === "url";
  }
  if (document.querySelector(".notice[role=status]")) {
    Object.keys(sessionStorage)
      .filter(function (k) { return k.indexOf(PREFIX) === 0; })
      .forEach(function (k) { sessionStorage.removeItem(k); });
    return;
  }
  document.querySelectorAll("form[data-keep]").forEach(function (form) {
    var key = PREFIX + form.getAttribute("action");
    var kept = null;
    try {
      kept = JSON.parse(sessionStorage.getItem(key) || "null");
    } catch (e) {
      kept = null;
    }
    if (kept && Date.now() - kept.at < DAY) {
      var restored = 0;
      Object.keys(kept.fields).forEach(function (name) {
        var field = form.elements.namedItem(name);
        if (field && typed(field) && !field.value) {
          field.value = kept.fields[name];
          restored += 1;
        }
      });
      if (restored) {
        var note = document.createElement("p");
        note.className = "alert";
        note.setAttribute("role", "alert");
        note.textContent = "저장되지 않았던 내용을 되살렸습니다. 확인한 뒤 다시 저장하세요.";
        form.parentNode.insertBefore(note, form);
      }
    }
    form.addEventListener("submit", function () {
      var fields = {};
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && typed(field) && field.value) {
          fields[field.name] = field.value;
        }
      });
      sessionStorage.setItem(key, JSON.stringify({ at: Date.now(), fields: fields }));
    });
  });
})();
