// Draws the QR code of each [data-qr] element in the page, so the site's handout pages print
// with the same QR code as the PDF handouts without the build computing thousands of them.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-qr]").forEach(function (box) {
    var code = qrcode(0, "M");
    code.addData(box.getAttribute("data-qr"));
    code.make();
    box.innerHTML = code.createSvgTag({ cellSize: 3, margin: 0, scalable: true });
  });
});
