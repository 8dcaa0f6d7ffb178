// The 知识竞赛 presenter's 填入工作记录 panel (present.js puts it beside the scoreboard): the
// 参与/及格/优秀 counts the record form asks for (records `quiz:` took_part/passed/excellent).
// The presenter only knows which team answered which question: a team's pupils all count as 及格
// or 优秀 by the team's share of right answers, and the panel says so; without every team's size
// it counts nothing. Team names are author text: set with textContent only.
(function () {
  "use strict";

  // A team that answered this share of the questions counts as 及格 / 优秀.
  var PASS_SHARE = 0.6;
  var EXCELLENT_SHARE = 0.85;

  // o: {el, teams (names), pupils (sizes, kept in the round's state), right (per team),
  //     questions (how many), save (stores the round)}
  window.hxRecordCounts = function (o) {
    var el = o.el;
    var box = el("section", "hx-record");
    box.setAttribute("aria-label", "填入工作记录");
    box.appendChild(el("h2", "", "填入工作记录（知识竞赛）"));
    var sizes = el("div", "hx-record-sizes");
    var result = el("div", "hx-record-result");
    result.setAttribute("aria-live", "polite");
    o.teams.forEach(function (name, i) {
      var row = el("label", "hx-record-size");
      row.appendChild(el("span", "hx-team-number", String(i + 1)));
      var input = el("input");
      input.type = "number";
      input.min = "0";
      input.max = "99";
      input.value = o.pupils[i] ? String(o.pupils[i]) : "";
      input.setAttribute("aria-label", name + "人数");
      input.addEventListener("input", function () {
        o.pupils[i] = Math.max(0, Math.min(99, parseInt(input.value, 10) || 0));
        o.save();
        count(o, result);
      });
      row.appendChild(input);
      sizes.appendChild(row);
    });
    box.appendChild(el("p", "hx-record-label", "各队人数"));
    box.appendChild(sizes);
    box.appendChild(result);
    count(o, result);
    box.appendChild(el("p", "hx-record-rule", "按队计：答对 ≥ " + Math.round(PASS_SHARE * 100) + "% 的队全队记及格，≥ " +
      Math.round(EXCELLENT_SHARE * 100) + "% 全队记优秀。竞赛按队答题，这是估计，不是每个学生的个人成绩。"));
    return box;
  };

  function count(o, result) {
    var el = o.el;
    result.textContent = "";
    var sizes = o.teams.map(function (_, i) { return o.pupils[i] || 0; });
    if (sizes.some(function (size) { return !size; })) {
      result.appendChild(el("p", "hx-record-missing", "填上每队人数，这里就算出参与、及格、优秀人数。"));
      return;
    }
    var sum = function (share) {
      return sizes.reduce(function (total, size, i) {
        return total + (o.right[i] >= share * o.questions ? size : 0);
      }, 0);
    };
    var tookPart = sum(0), passed = sum(PASS_SHARE), excellent = sum(EXCELLENT_SHARE);
    var counts = el("p", "hx-record-counts", "参与 " + tookPart + " 人 · 及格 " + passed + " 人 · 优秀 " + excellent + " 人");
    counts.id = "hx-record-counts";
    result.appendChild(counts);
    result.appendChild(el("code", "hx-record-yaml", "quiz: {took_part: " + tookPart + ", passed: " + passed +
      ", excellent: " + excellent + "}"));
  }
})();
