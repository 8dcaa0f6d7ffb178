/* Wide tables on screen.
 *
 * A table wider than the text column scrolls sideways inside Material's wrapper, but the only sign
 * of it is a scrollbar under the last row, often a screen or more below. Such a wrapper gets the
 * class hx-overflow and a line above it saying the table scrolls. Tables inside .hx-cards become
 * one card per row on a phone (huxiao.css); each cell is given its column's heading to show there.
 */
(function () {
  "use strict";

  function label(root) {
    root.querySelectorAll(".hx-cards table").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, i) {
          if (heads[i]) cell.setAttribute("data-label", heads[i]);
        });
      });
    });
  }

  function mark() {
    document.querySelectorAll(".md-typeset .md-typeset__scrollwrap").forEach(function (wrap) {
      var wide = wrap.scrollWidth > wrap.clientWidth + 1;
      wrap.classList.toggle("hx-overflow", wide);
      var hint = wrap.previousElementSibling;
      if (!(hint && hint.classList.contains("hx-scroll-hint"))) {
        if (!wide) return;
        hint = document.createElement("p");
        hint.className = "hx-scroll-hint";
        hint.textContent = "表格较宽，可左右滑动查看全部列 →";
        wrap.parentNode.insertBefore(hint, wrap);
      }
      hint.hidden = !wide;
    });
  }

  function start() {
    label(document);
    // Material wraps the tables when it starts; measure after it has.
    window.requestAnimationFrame(function () { window.requestAnimationFrame(mark); });
    var pending = 0;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(mark, 100);
    });
  }
  if (document.readyState === "complete") start(); else window.addEventListener("load", start);
})();
