// The region picker (regions/picker.py): a search box over a hidden input that holds the division code.
// The station picker (network/picker.py) is the same box over a station's id, its endpoint answering alike.
// Typing asks the server for matching regions of the user's jurisdiction (name or pinyin initials); an empty
// box browses 省/市/县/乡/村 level by level. Choosing fills the hidden input; the form posts the code as before.
// A box of several (data-region-multiple: a project's stations) adds each choice as a chip above it instead, a
// hidden input of the field's name with a button removing it, so the form posts what a multi-select posted.
(function () {
  "use strict";

  function setup(root) {
    if (root.dataset.regionReady) { return; }
    root.dataset.regionReady = "1";
    var value = root.querySelector("[data-region-value]");
    var chips = root.querySelector("[data-region-chips]");
    var search = root.querySelector("[data-region-search]");
    var box = root.querySelector("[data-region-choices]");
    var url = root.dataset.url;
    var levels = root.dataset.levels || "";
    var chosenLabel = search.value;
    var timer = null;
    var asked = 0;
    var answers = null;  // the text the list shown answers ("" when browsing)
    var quiet = false;  // focusing the box ourselves, after a choice: no list opening over the page
    box.style.maxHeight = "55vh";
    box.style.overflowY = "auto";
    box.style.position = "absolute";
    box.style.zIndex = "1050";
    box.style.left = "0";
    box.style.right = "0";
    box.style.minWidth = "min(20rem, 94vw)";

    function show(open) {
      box.classList.toggle("d-none", !open);
      search.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        // Wider than a narrow filter column, but never past the screen's edge (no sideways scrolling).
        box.style.left = "0";
        if (box.getBoundingClientRect().right > document.documentElement.clientWidth) { box.style.left = "auto"; }
      }
    }

    function load(params) {
      var ask = ++asked;
      var query = new URLSearchParams(params);
      query.set("levels", levels);
      fetch(url + "?" + query.toString(), { credentials: "same-origin", headers: { "HX-Request": "true" } })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          if (ask !== asked) { return; }  // an older answer arriving late
          // Show only what answers the box as it now reads: a search for its text, or browsing when it is
          // empty or shows the chosen region.
          var now = search.value.trim();
          var browsing = !now || search.value === chosenLabel;
          if (params.q ? params.q !== now : !browsing) { return; }
          box.innerHTML = html;
          markChosen();
          answers = params.q || "";
          show(true);
        });
    }

    function parentOf(code) {
      var lengths = [2, 4, 6, 9, 12];
      var at = lengths.indexOf((code || "").length);
      return at > 0 ? code.slice(0, lengths[at - 1]) : "";
    }

    function browse(code) { load({ under: code || "" }); }

    function refocus() {
      quiet = true;
      search.focus();
      quiet = false;
    }

    // A box of several marks the stations of its list already chosen ("已选", the chips' own label), so
    // choosing one again is seen to change nothing.
    function markChosen() {
      if (!chips) { return; }
      box.querySelectorAll("[data-region-choose]").forEach(function (choose) {
        var chosen = !!chips.querySelector('[data-region-chip="' + choose.dataset.regionChoose + '"]');
        choose.setAttribute("aria-selected", chosen ? "true" : "false");
        var mark = choose.querySelector("[data-region-chosen]");
        if (chosen && !mark) {
          mark = document.createElement("span");
          mark.className = "badge text-bg-secondary ms-1";
          mark.dataset.regionChosen = "";
          mark.textContent = chips.getAttribute("aria-label");
          choose.appendChild(mark);
        } else if (!chosen && mark) {
          mark.remove();
        }
      });
    }

    function add(choose) {
      var code = choose.dataset.regionChoose;
      var chip = chips.querySelector('[data-region-chip="' + code + '"]');
      if (!chip) {
        chip = root.querySelector("template[data-region-chip]").content.firstElementChild.cloneNode(true);
        var remove = chip.querySelector("[data-region-remove]");
        chip.dataset.regionChip = code;
        chip.querySelector("input").value = code;
        chip.querySelector("[data-region-chip-label]").textContent = choose.dataset.label;
        remove.setAttribute("aria-label", remove.getAttribute("aria-label").trim() + " " + choose.dataset.label);
        chips.appendChild(chip);
        chip.dispatchEvent(new Event("change", { bubbles: true }));
      }
      search.value = "";
    }

    if (chips) {
      chips.addEventListener("click", function (event) {
        var remove = event.target.closest("[data-region-remove]");
        if (!remove) { return; }
        var chip = remove.closest("[data-region-chip]");
        var next = chip.nextElementSibling || chip.previousElementSibling;
        chip.remove();
        markChosen();
        chips.dispatchEvent(new Event("change", { bubbles: true }));
        // Keyboard focus stays in the field: on the next chip's button, else in the box.
        if (next) { next.querySelector("[data-region-remove]").focus(); } else { refocus(); }
      });
    }

    search.addEventListener("focus", function () {
      if (quiet) { return; }
      if (chips && !search.value) {
        browse(root.dataset.under || "");  // where the last station was chosen: its neighbours one tap away
      } else if (search.value && search.value === chosenLabel) {
        // Open at the chosen region's parent (a station's: its division), so a neighbour is one tap away.
        browse(root.dataset.under !== undefined ? root.dataset.under : parentOf(value.value));
      } else if (!search.value) {
        browse("");
      }
    });
    search.addEventListener("input", function () {
      if (value && value.value) {
        value.value = "";
        value.dispatchEvent(new Event("change", { bubbles: true }));
      }
      clearTimeout(timer);
      var term = search.value.trim();
      timer = setTimeout(function () { term ? load({ q: term }) : browse(""); }, 200);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        // Enter takes the first choice rather than submitting a form without a region; typed faster than
        // the list answers, it waits for the list (a search under way never takes a stale choice).
        var first = box.querySelector("[data-region-choose]");
        var typed = search.value === chosenLabel ? "" : search.value.trim();
        if (!box.classList.contains("d-none") && first && answers === typed) {
          event.preventDefault();
          first.click();
        } else if (typed) {
          event.preventDefault();
        }
      } else if (event.key === "Escape") {
        show(false);
      }
    });
    box.addEventListener("click", function (event) {
      var choose = event.target.closest("[data-region-choose]");
      var down = event.target.closest("[data-region-browse]");
      if (choose) {
        if (chips) {
          add(choose);
        } else {
          value.value = choose.dataset.regionChoose;
          value.dispatchEvent(new Event("change", { bubbles: true }));
          search.value = chosenLabel = choose.dataset.label;
        }
        if (choose.dataset.under !== undefined) { root.dataset.under = choose.dataset.under; }
        show(false);
        // Chosen with the keyboard (no pointer: detail 0) from the list now hidden: back to the box.
        if (chips && event.detail === 0 && box.contains(document.activeElement)) { refocus(); }
      } else if (down) {
        if (search.value !== chosenLabel) { search.value = ""; }  // browsing from a search leaves the search
        browse(down.dataset.regionBrowse);
      }
    });
    document.addEventListener("click", function (event) {
      if (!root.contains(event.target)) { show(false); }
    });
  }

  function setupAll(scope) {
    (scope || document).querySelectorAll("[data-region-picker]").forEach(setup);
  }
  document.addEventListener("DOMContentLoaded", function () { setupAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { setupAll(event.target); });
}());
