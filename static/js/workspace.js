// Case page: pictures stay blurred until a counsellor chooses to see them; each reveal is logged first.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
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
