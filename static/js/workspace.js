// Case page: pictures stay blurred until a counsellor chooses to see them; each reveal is logged first.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Canned replies: put the text into the message box, to adapt before sending.
    var box = document.querySelector("#chat-form textarea[name=text]");
    document.querySelectorAll(".canned__use").forEach(function (button) {
      if (!box) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        box.value = box.value ? box.value + "\n\n" + button.dataset.text : button.dataset.text;
        box.focus();
        button.closest("details").open = false;
      });
    });
    var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
    document.querySelectorAll(".evidence__preview").forEach(function (box) {
      var button = box.querySelector(".evidence__reveal");
      button.hidden = false;
      button.addEventListener("click", function () {
        fetch(box.dataset.revealUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRFToken": tokenInput ? tokenInput.value : "", "X-Requested-With": "fetch" }
        }).then(function (response) {
          if (!response.ok) return;
          box.classList.remove("is-blurred");
          button.hidden = true;
        });
      });
    });
  });
})();
