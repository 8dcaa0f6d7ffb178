// The 知识竞赛 presenter: one question at a time on the classroom projector, teams and scores.
// The round (questions, choices, answers, explanations) is JSON in the page itself, so it works
// from file:// with no request; an answer becomes text in the page only when it is revealed.
// Every piece of author text is set with textContent, never as HTML.
(function () {
  "use strict";

  var round = JSON.parse(document.getElementById("hx-round").textContent);
  var questions = round.questions;
  var stage = document.getElementById("hx-stage");
  var progress = document.getElementById("hx-progress");
  var help = document.getElementById("hx-help");
  var helpText = help.textContent;
  var LETTERS = "ABCDEFGH";
  var NUMBERS = "一二三四五六七八";
  var TIMER_CHOICES = [0, 15, 30, 60, 90];
  var POINT_CHOICES = [1, 5, 10];
  var STORE = "huxiao-present:" + location.pathname;

  function fresh() {
    var teams = [];
    for (var i = 0; i < round.maxTeams; i++) teams.push("第" + NUMBERS[i] + "组");
    return {
      screen: "setup", index: 0, teamCount: 3, teams: teams, pupils: teams.map(function () { return 0; }),
      points: 10, seconds: 30,
      revealed: questions.map(function () { return false; }),
      awards: questions.map(function () { return []; })
    };
  }

  var state = restore() || fresh();
  var timer = { left: state.seconds, running: false, handle: null, deadline: 0 };

  function restore() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(STORE) || "null");
      if (saved && saved.revealed && saved.revealed.length === questions.length) {
        saved.pupils = saved.pupils || saved.teams.map(function () { return 0; });
        return saved;
      }
    } catch (e) { /* no storage: the round lives in memory only */ }
    return null;
  }

  function save() {
    try { sessionStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* memory only */ }
  }

  // DOM helpers ----------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function button(label, action, className) {
    var node = el("button", className || "", label);
    node.type = "button";
    node.addEventListener("click", function () { action(); });
    return node;
  }

  function activeTeams() { return state.teams.slice(0, state.teamCount); }

  function scores() {
    var totals = activeTeams().map(function () { return 0; });
    state.awards.forEach(function (teams) {
      teams.forEach(function (t) { if (t < totals.length) totals[t] += state.points; });
    });
    return totals;
  }

  function flash(message) {
    help.textContent = message;
    help.classList.add("hx-flash");
    clearTimeout(flash.handle);
    flash.handle = setTimeout(unflash, 2500);
  }

  function unflash() {
    clearTimeout(flash.handle);
    help.textContent = helpText;
    help.classList.remove("hx-flash");
  }

  // Questions each team answered right (a point awarded), for the record form's 及格/优秀.
  function rightAnswers() {
    var counts = activeTeams().map(function () { return 0; });
    state.awards.forEach(function (teams) {
      teams.forEach(function (t) { if (t < counts.length) counts[t] += 1; });
    });
    return counts;
  }

  // Screens --------------------------------------------------------------------------------

  function render() {
    stage.textContent = "";
    stage.classList.remove("hx-tight");
    document.body.setAttribute("data-screen", state.screen);
    if (state.screen === "setup") renderSetup();
    else if (state.screen === "scores") renderScores();
    else renderQuestion();
    save();
  }

  function select(id, values, current, label) {
    var box = el("select");
    box.id = id;
    values.forEach(function (v) {
      var option = el("option", "", label(v));
      option.value = String(v);
      if (v === current) option.selected = true;
      box.appendChild(option);
    });
    return box;
  }

  function field(labelText, control) {
    var row = el("label", "hx-field");
    row.appendChild(el("span", "", labelText));
    row.appendChild(control);
    return row;
  }

  function renderSetup() {
    stage.appendChild(el("h1", "", round.title));
    var oral = questions.filter(function (q) { return !q.choices; }).length;
    stage.appendChild(el("p", "hx-present-sub", round.subtitle + " · 课堂知识竞赛 · 共 " + questions.length + " 题" +
      (oral ? "（其中口头问答 " + oral + " 题）" : "")));
    var form = el("form", "hx-setup");
    var counts = [];
    for (var n = 2; n <= round.maxTeams; n++) counts.push(n);
    var countBox = select("hx-team-count", counts, state.teamCount, function (v) { return v + " 组"; });
    countBox.addEventListener("change", function () { state.teamCount = Number(countBox.value); render(); });
    form.appendChild(field("参赛队数", countBox));
    var names = el("div", "hx-team-names");
    activeTeams().forEach(function (name, i) {
      var input = el("input");
      input.type = "text";
      input.value = name;
      input.maxLength = 12;
      input.setAttribute("aria-label", "第 " + (i + 1) + " 队名称");
      input.addEventListener("input", function () { state.teams[i] = input.value.trim() || "第" + NUMBERS[i] + "组"; save(); });
      var pupils = el("input", "hx-pupils");
      pupils.type = "number";
      pupils.min = "0";
      pupils.max = "99";
      pupils.placeholder = "人数";
      pupils.value = state.pupils[i] ? String(state.pupils[i]) : "";
      pupils.setAttribute("aria-label", "第 " + (i + 1) + " 队人数");
      pupils.addEventListener("input", function () {
        state.pupils[i] = Math.max(0, Math.min(99, parseInt(pupils.value, 10) || 0));
        save();
      });
      var row = el("div", "hx-team-name");
      row.appendChild(el("span", "hx-team-number", String(i + 1)));
      row.appendChild(input);
      row.appendChild(pupils);
      row.appendChild(el("span", "hx-unit", "人"));
      names.appendChild(row);
    });
    form.appendChild(names);
    form.appendChild(el("p", "hx-field-hint", "各队人数可不填；填了，记分板会算出工作记录要填的参与、及格、优秀人数。"));
    var seconds = select("hx-seconds", TIMER_CHOICES, state.seconds, function (v) { return v ? v + " 秒" : "不计时"; });
    seconds.addEventListener("change", function () { state.seconds = Number(seconds.value); save(); });
    form.appendChild(field("答题倒计时", seconds));
    var points = select("hx-points", POINT_CHOICES, state.points, function (v) { return v + " 分"; });
    points.addEventListener("change", function () { state.points = Number(points.value); save(); });
    form.appendChild(field("每题分值", points));
    var start = el("button", "hx-primary", "开始竞赛 →");
    start.type = "submit";
    form.appendChild(start);
    form.addEventListener("submit", function (event) { event.preventDefault(); begin(); });
    stage.appendChild(form);
    stage.appendChild(el("p", "hx-note", "题目逐题投影，答案只在按下“揭晓”后出现；学生不需要任何设备。"));
    progress.textContent = "共 " + questions.length + " 题";
  }

  function renderQuestion() {
    var q = questions[state.index];
    var revealed = state.revealed[state.index];
    progress.textContent = "第 " + (state.index + 1) + " / " + questions.length + " 题";
    var meta = el("div", "hx-meta");
    meta.appendChild(el("span", "hx-number", "第 " + (state.index + 1) + " 题"));
    if (q.lesson) meta.appendChild(el("span", "hx-lesson", q.lesson));
    if (!q.choices) meta.appendChild(el("span", "hx-oral-badge", "口头问答"));
    if (state.seconds) {
      var clock = el("span", "hx-timer");
      clock.id = "hx-timer";
      meta.appendChild(clock);
    }
    stage.appendChild(meta);
    stage.appendChild(el("h2", "hx-question", q.question));
    if (q.choices) {
      var long = q.choices.some(function (c) { return c.length > 14; });
      var list = el("ol", "hx-choices" + (long ? " hx-one-column" : ""));
      q.choices.forEach(function (choice, i) {
        var item = el("li", "hx-choice");
        if (revealed) item.classList.add(i !== q.answer ? "hx-wrong" : q.negative ? "hx-unsafe" : "hx-correct");
        item.appendChild(el("span", "hx-letter", LETTERS[i]));
        item.appendChild(el("span", "hx-choice-text", choice));
        // A "which is wrong" question: its answer is the unsafe act, shown as such, never as 正确.
        if (revealed && i === q.answer) item.appendChild(el("span", "hx-tick", q.negative ? "✘ 错误做法" : "✔ 正确"));
        list.appendChild(item);
      });
      stage.appendChild(list);
    } else {
      stage.appendChild(el("p", "hx-oral", "请老师读题，学生口头回答"));
    }
    if (revealed) {
      var answer = el("div", "hx-answer" + (q.negative ? " hx-unsafe-answer" : ""));
      // A choice is highlighted above: its letter is enough, and the explanation follows on the line.
      var label = q.choices ? (q.negative ? "错误做法 " : "答案 ") + LETTERS[q.answer]
        : (q.negative ? "错误做法：" : "参考答案：") + q.answer;
      var line = el("p", "hx-answer-line" + (q.choices ? " hx-inline" : ""));
      line.appendChild(el("span", "hx-answer-text", label));
      line.appendChild(el("span", "hx-explanation", q.explanation));
      answer.appendChild(line);
      stage.appendChild(answer);
    }
    var dock = el("div", "hx-dock");
    var teams = el("div", "hx-teams");
    var totals = scores();
    activeTeams().forEach(function (name, i) {
      var got = state.awards[state.index].indexOf(i) >= 0;
      var chip = button("", function () { award(i); }, "hx-team" + (got ? " hx-awarded" : ""));
      chip.disabled = !revealed;
      chip.setAttribute("aria-pressed", got ? "true" : "false");
      chip.appendChild(el("span", "hx-team-number", String(i + 1)));
      chip.appendChild(el("span", "hx-team-label", name));
      chip.appendChild(el("span", "hx-team-score", totals[i] + " 分"));
      teams.appendChild(chip);
    });
    dock.appendChild(teams);
    var controls = el("div", "hx-controls");
    controls.appendChild(button("← 上一题", previous));
    if (!revealed) controls.appendChild(button("揭晓答案", reveal, "hx-primary hx-reveal"));
    else controls.appendChild(button(state.index + 1 < questions.length ? "下一题 →" : "记分板 →", next, "hx-primary hx-next"));
    if (state.seconds) controls.appendChild(button("计时", toggleTimer));
    controls.appendChild(button("记分板", toggleScores));
    controls.appendChild(button("全屏", toggleFullscreen));
    dock.appendChild(controls);
    stage.appendChild(dock);
    drawTimer();
    // A long question with long choices: tighter spacing (never smaller type) to fit the screen.
    stage.classList.toggle("hx-tight", stage.scrollHeight > stage.clientHeight);
  }

  function renderScores() {
    progress.textContent = "记分板";
    stage.appendChild(el("h1", "", "记分板"));
    stage.appendChild(el("p", "hx-present-sub", round.title + " · " + round.subtitle + " · 共 " + questions.length +
      " 题，每题 " + state.points + " 分"));
    var totals = scores();
    var right = rightAnswers();
    var order = activeTeams().map(function (name, i) { return { name: name, score: totals[i], right: right[i], team: i }; });
    order.sort(function (a, b) { return b.score - a.score || a.team - b.team; });
    var best = order.length ? order[0].score : 0;
    var table = el("table", "hx-scoreboard" + (order.length > 4 ? " hx-many" : ""));
    var head = el("tr");
    ["名次", "队伍", "答对", "得分"].forEach(function (h) { head.appendChild(el("th", "", h)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    var rank = 0;
    order.forEach(function (row, i) {
      if (i === 0 || row.score !== order[i - 1].score) rank = i + 1;
      var tr = el("tr", rank === 1 && best > 0 ? "hx-winner" : "");
      tr.setAttribute("data-team", String(row.team + 1));
      tr.appendChild(el("td", "hx-rank", String(rank)));
      tr.appendChild(el("td", "hx-team-label", row.name));
      tr.appendChild(el("td", "hx-right", row.right + "/" + questions.length));
      tr.appendChild(el("td", "hx-score", String(row.score)));
      body.appendChild(tr);
    });
    table.appendChild(body);
    var layout = el("div", "hx-score-layout");
    layout.appendChild(table);
    layout.appendChild(window.hxRecordCounts({
      el: el, teams: activeTeams(), pupils: state.pupils, right: right, questions: questions.length, save: save
    }));
    stage.appendChild(layout);
    var controls = el("div", "hx-controls");
    controls.appendChild(button("← 回到题目", toggleScores));
    controls.appendChild(button("重新开始", restart));
    controls.appendChild(button("全屏", toggleFullscreen));
    stage.appendChild(controls);
  }

  // Actions --------------------------------------------------------------------------------

  function begin() {
    state.screen = "question";
    state.index = Math.min(state.index, questions.length - 1);
    resetTimer();
    render();
  }

  function show(index) {
    state.index = index;
    state.screen = "question";
    resetTimer();
    render();
  }

  function reveal() {
    if (state.screen !== "question" || state.revealed[state.index]) return;
    state.revealed[state.index] = true;
    unflash();
    stopTimer();
    render();
  }

  function next() {
    if (state.screen === "setup") return begin();
    if (state.screen !== "question") return;
    if (!state.revealed[state.index]) return reveal();
    if (state.index + 1 < questions.length) return show(state.index + 1);
    stopTimer();
    state.screen = "scores";
    render();
  }

  function previous() {
    if (state.screen === "scores") return show(state.index);
    if (state.screen === "question" && state.index > 0) show(state.index - 1);
  }

  function award(team) {
    if (state.screen !== "question" || team >= state.teamCount) return;
    if (!state.revealed[state.index]) return flash("先揭晓答案，再给答对的队加分");
    var got = state.awards[state.index];
    var at = got.indexOf(team);
    if (at >= 0) got.splice(at, 1); else got.push(team);
    got.sort();
    render();
  }

  function toggleScores() {
    if (state.screen === "scores") return show(state.index);
    if (state.screen === "setup") return;
    stopTimer();
    state.screen = "scores";
    render();
  }

  function restart() {
    var teams = state.teams, count = state.teamCount, points = state.points, seconds = state.seconds;
    var pupils = state.pupils;
    state = fresh();
    state.teams = teams;
    state.pupils = pupils;
    state.teamCount = count;
    state.points = points;
    state.seconds = seconds;
    render();
  }

  function toggleFullscreen() {
    var request = document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen();
    if (request && request.catch) request.catch(function () { flash("浏览器不允许全屏：可按 F11"); });
  }

  // Countdown ------------------------------------------------------------------------------

  function drawTimer() {
    var clock = document.getElementById("hx-timer");
    if (!clock) return;
    clock.textContent = timer.left > 0 ? "倒计时 " + timer.left + " 秒" : "时间到";
    clock.classList.toggle("hx-running", timer.running);
    clock.classList.toggle("hx-urgent", timer.left <= 5);
  }

  function tick() {
    timer.left = Math.max(0, Math.ceil((timer.deadline - Date.now()) / 1000));
    if (timer.left === 0) stopTimer();
    drawTimer();
  }

  function stopTimer() {
    if (timer.running) timer.left = Math.max(0, Math.ceil((timer.deadline - Date.now()) / 1000));
    timer.running = false;
    clearInterval(timer.handle);
    drawTimer();
  }

  function resetTimer() {
    stopTimer();
    timer.left = state.seconds;
  }

  function toggleTimer() {
    if (state.screen !== "question" || !state.seconds) return;
    if (timer.running) return stopTimer();
    if (state.revealed[state.index]) return;
    if (timer.left === 0) timer.left = state.seconds;
    timer.running = true;
    timer.deadline = Date.now() + timer.left * 1000;
    timer.handle = setInterval(tick, 200);
    drawTimer();
  }

  // Keyboard (a presenter clicker sends PageDown/PageUp or the arrow keys) --------------------

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var typing = target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName);
    var key = event.key;
    // Enter in a setup field only moves on to the next field: the round starts from the 开始竞赛
    // button, or from Enter when no field has the focus (the teams or points may not be set yet).
    if (typing && key === "Enter") { event.preventDefault(); focusNextField(target); return; }
    if (typing && key !== "PageDown" && key !== "PageUp") return;
    var handled = true;
    if (key === "ArrowRight" || key === "PageDown") next();
    else if (key === "ArrowLeft" || key === "PageUp") previous();
    else if (key === " " || key === "Enter") { if (state.screen === "setup") begin(); else reveal(); }
    else if (/^[1-8]$/.test(key)) award(Number(key) - 1);
    else if (key === "t" || key === "T") toggleTimer();
    else if (key === "s" || key === "S") toggleScores();
    else if (key === "f" || key === "F") toggleFullscreen();
    else handled = false;
    if (handled) event.preventDefault();
  });

  function focusNextField(current) {
    var fields = Array.prototype.slice.call(stage.querySelectorAll("input, select"));
    var next = fields[fields.indexOf(current) + 1];
    var start = stage.querySelector(".hx-setup .hx-primary");
    if (next) next.focus();
    else if (start) start.focus();
  }

  render();
})();
