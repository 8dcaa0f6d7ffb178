// A button with data-copy puts that text on the clipboard (the calendar's subscription address on
// a school page): WeChat's browser will not subscribe or download, but a copied address can be
// pasted into the phone's calendar. Where the clipboard is not allowed, the address is selected.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var label = button.textContent;
    function done(text) {
      button.textContent = text;
      setTimeout(function () { button.textContent = label; }, 2000);
    }
    function select() {
      var code = button.closest(".hx-subscribe-item").querySelector(".hx-subscribe-address code");
      var range = document.createRange();
      range.selectNodeContents(code);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      try { document.execCommand("copy"); done("已复制"); } catch (e) { done("已选中，请长按复制"); }
    }
    button.addEventListener("click", function () {
      var text = button.getAttribute("data-copy");
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done("已复制"); }, select);
      } else {
        select();
      }
    });
  });
});
