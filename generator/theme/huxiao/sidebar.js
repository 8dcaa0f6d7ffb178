/* The left sidebar opens on the page's own tier.
 *
 * Material scrolls the sidebar so that the active link sits in the middle. Under the 学段 tab every
 * tier is an expanded section (navigation.sections) of a dozen topics, so the middle leaves the
 * previous tier's last topics at the top and the active tier's heading above the fold: the topics
 * seem to belong to no tier. Here the innermost active section's heading is scrolled to the top
 * instead (under the tab's sticky title), as long as the active link stays in view.
 */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 76.25em)");  // where Material draws sections

  function place() {
    var wrap = document.querySelector(".md-sidebar--primary .md-sidebar__scrollwrap");
    if (!wrap || !wide.matches) return;
    var link = wrap.querySelector("a.md-nav__link--active[href]");
    var sections = wrap.querySelectorAll(".md-nav__item--section.md-nav__item--active");
    if (!link || !link.clientHeight || sections.length < 2) return;
    var heading = sections[sections.length - 1].querySelector(":scope > .md-nav__link");
    var title = wrap.querySelector(".md-nav--lifted > .md-nav__list > .md-nav__item--active > .md-nav__link");
    if (!heading) return;
    var origin = wrap.getBoundingClientRect().top - wrap.scrollTop;
    // below the sticky title and the white fade (box-shadow) it casts
    var target = heading.getBoundingClientRect().top - origin - (title ? title.offsetHeight + 12 : 0);
    var linkBottom = link.getBoundingClientRect().bottom - origin;
    if (linkBottom - target > wrap.clientHeight) target = linkBottom - wrap.clientHeight + 8;
    wrap.scrollTop = Math.max(0, target);
    wrap.setAttribute("data-hx-placed", "");
  }

  // After Material's own scroll, which it makes on the first animation frame after load.
  function later() {
    window.requestAnimationFrame(function () { window.requestAnimationFrame(place); });
  }
  if (document.readyState === "complete") later(); else window.addEventListener("load", later);
})();
