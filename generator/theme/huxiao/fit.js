// A handout (or a letter to parents) with room to spare is set larger, in steps, while it still fits its A4 page, as in its
// PDF (generator/printing/pdf.py tries the same classes of print.css, largest first). Measured on
// the sheet shown on screen, which is as wide as the printed page's content (182 mm).
(function () {
  var steps = ["hx-fill-1", "hx-fill-2", "hx-fill-3", "hx-fill-4", "hx-fill-5"];
  var mm = 96 / 25.4, target = (297 - 2 * 12 - 6) * mm;

  function fit() {
    var handout = document.querySelector(".hx-handout, .hx-letter");
    if (!handout || Math.abs(handout.offsetWidth - 182 * mm) > 2 * mm) return;  // not laid out as printed
    steps.forEach(function (step) { handout.classList.remove(step); });
    for (var i = 0; i < steps.length; i++) {
      handout.classList.add(steps[i]);
      if (handout.offsetHeight <= target) return;
      handout.classList.remove(steps[i]);
    }
  }

  document.addEventListener("DOMContentLoaded", fit);
  window.addEventListener("load", fit);  // again once the QR code is drawn
})();
