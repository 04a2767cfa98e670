/**
 * Type-ahead for the search box, served as /ui/typeahead.js. Plain ES5-level browser code with no
 * build step; the search form works the same without it. It follows the WAI-ARIA combobox pattern:
 * arrow keys move through the suggestions, Enter picks one and searches, Escape closes the list.
 */
export const TYPEAHEAD_JS = /* js */ `
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("q-suggestions");
  var status = document.getElementById("q-status");
  if (!input || !list || !window.fetch) return;
  var form = input.form;
  var items = [];
  var active = -1;
  var timer = 0;
  var controller = null;
  var asked = "";

  function label(item) {
    if (typeof item === "string") return item;
    return item.genericName || item.name || item.text || item.value || "";
  }
  function english(item) {
    return typeof item === "string" ? "" : item.genericNameEn || item.nameEn || "";
  }
  function howMany(item) {
    if (typeof item === "string") return null;
    var n = item.prices != null ? item.prices : item.priceCount != null ? item.priceCount : item.count;
    return typeof n === "number" ? n : null;
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    var options = list.querySelectorAll("[role=option]");
    active = index;
    for (var i = 0; i < options.length; i++) {
      var on = i === index;
      options[i].setAttribute("aria-selected", on ? "true" : "false");
      if (on) {
        input.setAttribute("aria-activedescendant", options[i].id);
        if (options[i].scrollIntoView) options[i].scrollIntoView({ block: "nearest" });
      }
    }
    if (index < 0) input.removeAttribute("aria-activedescendant");
  }

  function pick(index) {
    var item = items[index];
    if (!item) return;
    input.value = label(item);
    close();
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  function render() {
    while (list.firstChild) list.removeChild(list.firstChild);
    items.forEach(function (item, i) {
      var li = document.createElement("li");
      li.id = "q-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var name = document.createElement("span");
      name.textContent = label(item);
      var en = english(item);
      if (en) {
        var small = document.createElement("span");
        small.className = "en";
        small.textContent = " " + en;
        name.appendChild(small);
      }
      li.appendChild(name);
      var n = howMany(item);
      if (n !== null) {
        var count = document.createElement("span");
        count.className = "n";
        count.textContent = n + " 条价格";
        li.appendChild(count);
      }
      // mousedown, not click: the input keeps focus, so the list is not closed by blur first.
      li.addEventListener("mousedown", function (event) {
        event.preventDefault();
        pick(i);
      });
      list.appendChild(li);
    });
    if (items.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = "有 " + items.length + " 条建议，用上下方向键选择，回车确认";
    } else {
      close();
      status.textContent = asked ? "没有建议" : "";
    }
    active = -1;
  }

  function ask() {
    var q = input.value.trim();
    if (q === asked) return;
    asked = q;
    if (controller) controller.abort();
    if (!q) {
      items = [];
      render();
      return;
    }
    controller = window.AbortController ? new AbortController() : null;
    fetch("/api/v1/suggest?limit=8&q=" + encodeURIComponent(q), { signal: controller ? controller.signal : undefined, headers: { accept: "application/json" } })
      .then(function (res) { return res.ok ? res.json() : { data: [] }; })
      .then(function (body) {
        if (q !== input.value.trim()) return;
        items = (body && (body.data || body.suggestions)) || [];
        render();
      })
      .catch(function () { /* aborted or offline: the plain search still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 120);
  });
  input.addEventListener("keydown", function (event) {
    var open = !list.hidden && items.length > 0;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open && items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
      if (items.length) highlight(active + 1 >= items.length ? 0 : active + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (items.length) highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      pick(active);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    } else if (event.key === "Tab") {
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
  input.setAttribute("aria-expanded", "false");
})();
`;
