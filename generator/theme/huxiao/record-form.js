/* 填写工作记录: the term-record form (/records/form/). No server, no request: the data is inlined
   in the page as JSON (#hx-record-form-data) by generator/site/recordform.py, and the fields, their
   limits and the required lists come from the JSON Schema of the record model in that data. The
   checks across files that generator/records.py makes (dates in the term and not in the future,
   the lesson fits the school's tiers, a drill names a drill script, 实到 ≤ 应到, all-clear after
   the signal) are mirrored here, in Chinese. The YAML is written by a small emitter that quotes
   every free text, so what the person types stays data.
   A school that already has a file for the term must open it first: the page then gives back that
   whole file, byte for byte, with the new entries added to its lists, never a shorter file that
   would replace it. What is typed is kept in the browser's storage across a reload. */
(function () {
  "use strict";
  var root = document.getElementById("hx-record-form");
  var source = document.getElementById("hx-record-form-data");
  if (!root || !source) return;
  var data = JSON.parse(source.textContent);
  var schema = data.schema;
  var defs = schema.$defs || {};
  var SECTION_NAMES = { lectures: "讲座", drills: "演练", duty: "护学岗", trainings: "培训", inspections: "隐患排查" };
  // What makes two entries the same slot, as generator/records.py's _twice has it.
  var SLOTS = { lectures: ["date", "lesson", "tier"], drills: ["date", "lesson", "groups"], duty: ["start", "point", "band"],
                trainings: ["date", "subject"], inspections: ["date"] };
  var LABELS = { lesson: "课程", tier: "学段", point: "点位", mode: "演练方式", live: "实战或桌面推演",
                 signal: "信号发出时刻", all_clear: "集合完毕时刻", seconds: "用时（秒）" };
  var HINTS = { signal: "如 09:20 或 09:20:05", all_clear: "如 09:22 或 09:22:19",
                seconds: "填了信号和集合完毕时刻可不填，自动算出" };
  var STORE = "huxiao-record-form";
  var ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var UNSAFE = /\b(?:javascript|vbscript|data|file)\s*:/i;
  var CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

  var REQUIRED = "必填";
  // Fields the person has been in: only those say 必填 (the status line counts them all).
  var touched = {};
  var state = { term: "", school: "", sections: {}, existing: null };  // existing: {name, text} of the opened file
  Object.keys(schema.properties).forEach(function (name) { state.sections[name] = []; });
  var termIds = Object.keys(data.terms);
  state.term = termIds[termIds.length - 1] || "";
  var restored = restore();
  var saved = "";  // the YAML last copied or downloaded: leaving with anything else asks first

  // ------------------------------------------------------------------ schema helpers

  function deref(prop) {
    if (prop && prop.$ref) return defs[prop.$ref.split("/").pop()];
    return prop;
  }
  function sectionModel(name) { return deref(schema.properties[name].items); }
  /* A property as {base, nullable}: Optional[X] is anyOf [X, null] in the schema. */
  function shape(prop) {
    if (prop.anyOf) {
      var other = prop.anyOf.filter(function (p) { return p.type !== "null"; })[0];
      return { base: deref(other) || other, nullable: true, ref: !!other.$ref };
    }
    return { base: prop.$ref ? deref(prop) : prop, nullable: false, ref: !!prop.$ref };
  }
  function kindOf(prop) {
    var s = shape(prop), b = s.base;
    if (s.ref) return "object";
    if (b.enum) return "enum";
    if (b.type === "boolean") return "boolean";
    if (b.type === "integer") return "integer";
    if (b.type === "array") return b.items && (b.items.$ref) ? "list" : "lines";
    if (b.format === "date") return "date";
    return "text";
  }
  function restore() {
    try {
      var kept = JSON.parse(window.localStorage.getItem(STORE) || "null");
      if (!kept || !kept.sections) return false;
      if (data.terms[kept.term]) state.term = kept.term;
      if (kept.school && data.schools.some(function (s) { return s.id === kept.school; })) state.school = kept.school;
      Object.keys(state.sections).forEach(function (k) { if (Array.isArray(kept.sections[k])) state.sections[k] = kept.sections[k]; });
      if (kept.existing && typeof kept.existing.text === "string") state.existing = kept.existing;
      return entryCount() > 0;
    } catch (e) { return false; }
  }
  function keep() {
    try { window.localStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* private mode: nothing kept */ }
  }
  function entryCount() {
    return Object.keys(state.sections).reduce(function (n, k) { return n + state.sections[k].length; }, 0);
  }
  function isClock(base) { return !!(base.pattern && base.pattern.indexOf(":[0-5]") > 0); }
  /* 10：05, 9:5:00 or 10:07 as a person types them, as the record wants them: 10:05:00. */
  function clockText(text) {
    var m = /^(\d{1,2})[:：](\d{1,2})(?:[:：](\d{1,2}))?$/.exec(text.replace(/\s+/g, ""));
    if (!m) return text;
    var pad = function (x) { return String(+x).padStart(2, "0"); };
    return pad(m[1]) + ":" + pad(m[2]) + ":" + pad(m[3] || "0");
  }

  function label(name, prop) {
    if (LABELS[name]) return LABELS[name];
    var d = (prop.description || name).split(/[；：]/)[0];
    return d;
  }
  /* "announced 预定式；unannounced 突发式" names each value of the field: "announced" -> "预定式". */
  function optionText(prop, value) {
    var parts = (prop.description || "").split("；");
    for (var i = 0; i < parts.length; i++) {
      var words = parts[i].trim().split(/\s+/);
      if (words.length === 2 && words[0] === String(value)) return words[1];
    }
    return "";
  }
  function hint(prop, name) {
    if (HINTS[name]) return HINTS[name];
    var d = prop.description || "";
    var cut = d.search(/[；：]/);
    return cut >= 0 ? d.slice(cut + 1) : "";
  }

  // ------------------------------------------------------------------ lookups

  function school() {
    for (var i = 0; i < data.schools.length; i++) if (data.schools[i].id === state.school) return data.schools[i];
    return null;
  }
  function lesson(id) {
    for (var i = 0; i < data.lessons.length; i++) if (data.lessons[i].id === id) return data.lessons[i];
    return null;
  }
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }
  function clock(value) {
    var p = value.split(":");
    return (+p[0]) * 3600 + (+p[1]) * 60 + (+p[2]);
  }

  // ------------------------------------------------------------------ values

  /* The typed value of a raw field, or undefined when left empty. */
  function typed(prop, raw) {
    var kind = kindOf(prop);
    if (raw === undefined || raw === null) return undefined;
    if (kind === "integer") return raw === "" ? undefined : Number(raw);
    if (kind === "boolean") return raw === "" ? undefined : raw === "true";
    if (kind === "lines") {
      var items = String(raw).split(/[、,，\n]/).map(function (s) { return s.trim(); }).filter(Boolean);
      return items.length ? items : undefined;
    }
    if (kind === "list" || kind === "object") return raw;
    var text = String(raw).trim();
    if (isClock(shape(prop).base)) text = clockText(text);
    return text === "" ? undefined : text;
  }

  // ------------------------------------------------------------------ validation

  function checkField(name, prop, raw, required, errors, path) {
    var kind = kindOf(prop), base = shape(prop).base, value = typed(prop, raw);
    if (value === undefined) {
      if (required) errors[path] = REQUIRED;
      return undefined;
    }
    if (kind === "integer") {
      if (!Number.isInteger(value)) { errors[path] = "请填整数"; return undefined; }
      if (base.minimum !== undefined && value < base.minimum) { errors[path] = "不能小于 " + base.minimum; return undefined; }
      if (base.maximum !== undefined && value > base.maximum) { errors[path] = "不能大于 " + base.maximum; return undefined; }
    } else if (kind === "date") {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || isNaN(Date.parse(value))) { errors[path] = "日期格式应为 YYYY-MM-DD"; return undefined; }
    } else if (kind === "text") {
      if (base.pattern && !new RegExp(base.pattern).test(value)) {
        errors[path] = isClock(base) ? "时刻请写成 时:分 或 时:分:秒，如 09:20 或 09:20:05" : "只能用小写字母、数字和连字符";
        return undefined;
      }
      if (base.maxLength !== undefined && value.length > base.maxLength) { errors[path] = "最多 " + base.maxLength + " 个字"; return undefined; }
      if (base.maxLength !== undefined && value.indexOf("\n") >= 0) { errors[path] = "只能写一行"; return undefined; }
      if (CONTROL.test(value)) { errors[path] = "含有控制字符"; return undefined; }
      if (UNSAFE.test(value)) { errors[path] = "不能包含 javascript:、data: 等链接"; return undefined; }
    } else if (kind === "lines") {
      if (base.minItems && value.length < base.minItems) { errors[path] = REQUIRED; return undefined; }
      for (var i = 0; i < value.length; i++) if (value[i].length > 200) { errors[path] = "每项最多 200 个字"; return undefined; }
    }
    return value;
  }

  /* A model's fields as typed values (defaults left out), checking each; `raw` is the entry. */
  function checkModel(model, raw, errors, path) {
    var out = {}, required = model.required || [];
    Object.keys(model.properties).forEach(function (name) {
      var prop = model.properties[name], kind = kindOf(prop), where = path + "." + name;
      if (kind === "list") {
        var itemModel = deref(shape(prop).base.items);
        var items = (raw[name] || []).map(function (sub, n) { return checkModel(itemModel, sub, errors, where + "." + n); });
        if (items.length) out[name] = items;
        return;
      }
      if (kind === "object") {
        if (raw[name]) out[name] = checkModel(shape(prop).base, raw[name], errors, where);
        return;
      }
      var value = checkField(name, prop, raw[name], required.indexOf(name) >= 0, errors, where);
      if (value !== undefined && !(prop.default !== undefined && prop.default === value)) out[name] = value;
    });
    return out;
  }

  function checkDate(value, errors, path) {
    var term = data.terms[state.term];
    if (!value || errors[path] || !term) return;
    if (value < term.first_day || value > term.last_day) {
      errors[path] = value + " 不在本学期内（" + term.first_day + " 至 " + term.last_day + "）";
    } else if (value > today()) {
      errors[path] = value + " 在今天之后：只记录已经发生的事";
    }
  }

  function checkLesson(item, drill, errors, path) {
    var s = school();
    if (!item.lesson) return;
    var l = lesson(item.lesson);
    if (!l) { errors[path + ".lesson"] = "没有这门课程"; return; }
    if (drill && l.kind !== "drill") errors[path + ".lesson"] = "不是演练脚本，请记在讲座下";
    if (!drill && l.kind === "drill") errors[path + ".lesson"] = "这是演练脚本，请记在演练下";
    if (!item.tier || errors[path + ".tier"]) return;
    if (s && s.tiers.indexOf(item.tier) < 0) errors[path + ".tier"] = "本校没有这个学段";
    else if (l.tiers.indexOf(item.tier) < 0) errors[path + ".tier"] = "这门课程没有这个学段的教案";
  }

  function checkFixes(fixes, day, errors, path) {
    (fixes || []).forEach(function (fix, k) {
      var where = path + "." + k;
      if (day && fix.due && fix.due < day) errors[where + ".due"] = "整改期限早于当天";
      if (day && fix.fixed && fix.fixed < day) errors[where + ".fixed"] = "整改完成日期早于当天";
      if (fix.fixed && fix.fixed > today()) errors[where + ".fixed"] = "整改完成日期在今天之后";
    });
  }

  /* Every problem (path -> message) and the record as it would be written. */
  function validate() {
    var errors = {}, record = {};
    if (!data.terms[state.term]) errors.term = "请选择学期";
    if (!school()) errors.school = "请选择学校";
    Object.keys(state.sections).forEach(function (section) {
      var model = sectionModel(section);
      var items = state.sections[section].map(function (raw, n) {
        var path = section + "." + n, item = checkModel(model, raw, errors, path);
        checkDate(item.date || item.start, errors, path + (item.start ? ".start" : ".date"));
        if (section === "lectures") {
          checkLesson(item, false, errors, path);
          if (item.quiz) {
            if ((item.form || "讲座") !== "知识竞赛") errors[path + ".quiz"] = "只有知识竞赛才填竞赛人数";
            var q = item.quiz;
            if (q.passed > q.took_part) errors[path + ".quiz.passed"] = "及格人数多于参与人数";
            if (q.excellent > q.passed) errors[path + ".quiz.excellent"] = "优秀人数多于及格人数";
            if (q.took_part > item.audience) errors[path + ".quiz.took_part"] = "参与人数多于参加人数";
          }
        }
        if (section === "drills") {
          checkLesson(item, true, errors, path);
          if (!!item.signal !== !!item.all_clear && !errors[path + ".signal"] && !errors[path + ".all_clear"]) {
            errors[path + (item.signal ? ".all_clear" : ".signal")] = "信号和集合完毕时刻要么都填，要么都不填";
          } else if (item.signal && item.all_clear) {
            var measured = clock(item.all_clear) - clock(item.signal);
            if (measured <= 0) errors[path + ".all_clear"] = "集合完毕时刻应在信号之后";
            else if (item.seconds !== undefined && item.seconds !== measured) {
              errors[path + ".seconds"] = "与两个时刻算出的 " + measured + " 秒不一致";
            } else delete item.seconds;  // the model computes it from the two times
          }
          (item.headcount || []).forEach(function (h, k) {
            var where = path + ".headcount." + k;
            if (h.present > h.expected) errors[where + ".present"] = "实到人数（" + h.present + "）多于应到人数（" + h.expected + "）";
            else if (h.present + (h.excused || 0) > h.expected) errors[where + ".excused"] = "实到加请假多于应到人数";
          });
          checkFixes(item.problems, item.date, errors, path + ".problems");
        }
        if (section === "duty") {
          var s = school(), term = data.terms[state.term];
          // Only the internal build knows every point; the public one lists the published ones.
          if (data.all_points && item.point && s && !s.points.some(function (p) { return p.id === item.point; }) &&
              !errors[path + ".point"]) {
            errors[path + ".point"] = "本校没有这个点位（" + (s.points.map(function (p) { return p.id; }).join("、") || "档案中未登记点位") + "）";
          }
          if (item.start && term && !errors[path + ".start"]) {
            var last = new Date(Date.parse(item.start) + ((item.days || 1) - 1) * 86400000).toISOString().slice(0, 10);
            if (last > term.last_day) errors[path + ".days"] = "超出了学期最后一天 " + term.last_day;
          }
        }
        if (section === "inspections") checkFixes(item.findings, item.date, errors, path + ".findings");
        return item;
      });
      var seen = {}, slot = SLOTS[section] || ["date"];
      items.forEach(function (item, n) {
        var key = JSON.stringify(slot.map(function (k) { return item[k]; }));
        if (seen[key]) errors[section + "." + n] = "与第 " + seen[key] + " 条重复（同一天同一内容记了两次）";
        seen[key] = n + 1;
      });
      if (items.length) record[section] = items;
    });
    return { errors: errors, record: record };
  }

  // ------------------------------------------------------------------ YAML

  var PLAIN_WORDS = /^(?:y|yes|n|no|true|false|on|off|null|~)$/i;

  /* A string as a YAML scalar: plain only for ids and dates, otherwise double-quoted with every
     character YAML could read differently escaped (quotes, backslashes, line breaks, controls). */
  function scalar(value) {
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    var text = String(value);
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
    if (/^[a-z][a-z0-9-]*$/.test(text) && !PLAIN_WORDS.test(text)) return text;
    var out = '"';
    for (var i = 0; i < text.length; i++) {
      var ch = text[i], code = text.charCodeAt(i);
      if (ch === '"') out += '\\"';
      else if (ch === "\\") out += "\\\\";
      else if (ch === "\n") out += "\\n";
      else if (ch === "\t") out += "\\t";
      else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length &&
               text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff) { out += ch + text[i + 1]; i++; }
      else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 ||
               code === 0xfeff || code >= 0xfffe || (code >= 0xd800 && code <= 0xdfff)) {
        out += "\\u" + code.toString(16).padStart(4, "0");
      } else out += ch;
    }
    return out + '"';
  }

  function emitValue(value, indent) {
    if (Array.isArray(value)) {
      if (!value.length) return " []";
      return "\n" + value.map(function (item) { return emitItem(item, indent); }).join("").replace(/\n$/, "");
    }
    if (value !== null && typeof value === "object") {
      return "\n" + Object.keys(value).map(function (k) {
        return indent + "  " + k + ":" + emitValue(value[k], indent + "  ");
      }).join("\n");
    }
    return " " + scalar(value);
  }

  function emitItem(item, indent) {
    if (item === null || typeof item !== "object") return indent + "- " + scalar(item) + "\n";
    var keys = Object.keys(item), lines = "";
    keys.forEach(function (k, n) {
      var lead = n === 0 ? indent + "- " : indent + "  ";
      lines += lead + k + ":" + emitValue(item[k], indent + "  ") + "\n";
    });
    return lines;
  }

  /* Where a top-level list starts and ends in a record file's text, and how its items are indented. */
  function block(lines, section) {
    var head = new RegExp("^" + section + ":\\s*(#.*)?$"), inline = new RegExp("^" + section + ":\\s*\\S");
    for (var i = 0; i < lines.length; i++) {
      if (inline.test(lines[i]) && !head.test(lines[i])) {
        return /^[a-z_]+:\s*\[\s*\]\s*(#.*)?$/.test(lines[i]) ? { at: i, empty: true } : { at: i, flow: true };
      }
      if (!head.test(lines[i])) continue;
      var end = i + 1;
      while (end < lines.length && !/^[^\s#-]/.test(lines[end])) end++;
      var last = i, indent = null, items = 0;
      for (var j = i + 1; j < end; j++) {
        if (lines[j].trim() && !/^#/.test(lines[j])) last = j;
        var m = /^(\s*)- /.exec(lines[j]) || /^(\s*)-$/.exec(lines[j]);
        if (m && (indent === null || m[1] === indent)) { indent = m[1]; items++; }
      }
      return { at: i, last: last, indent: indent || "", items: items };
    }
    return null;
  }

  /* The opened file with the new entries added to its lists: every line of it kept as it is. */
  function merge(text, record) {
    var lines = text.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n");
    for (var k = 0; k < Object.keys(record).length; k++) {
      var section = Object.keys(record)[k], found = block(lines, section), added;
      if (found && found.flow) return { error: "原文件中的 " + section + " 用方括号写在一行里，无法自动接上：请把新记录手工加进去" };
      added = record[section].map(function (item) { return emitItem(item, found && !found.empty ? found.indent : ""); })
        .join("").replace(/\n$/, "").split("\n");
      if (!found) lines = lines.concat([section + ":"], added);
      else if (found.empty) lines.splice.apply(lines, [found.at, 1, section + ":"].concat(added));
      else lines.splice.apply(lines, [found.last + 1, 0].concat(added));
    }
    return { text: lines.join("\n") + "\n" };
  }

  /* How many records of each kind a record file's text holds (what the person is shown). */
  function counts(text) {
    var lines = text.replace(/\r\n?/g, "\n").split("\n"), out = [];
    Object.keys(state.sections).forEach(function (section) {
      var found = block(lines, section);
      if (found && found.items) out.push((SECTION_NAMES[section] || section) + " " + found.items + " 条");
    });
    return out.join("、") || "没有记录";
  }

  function recorded() {
    var s = school();
    return !!(s && s.recorded && s.recorded.indexOf(state.term) >= 0);
  }

  function toYaml(record) {
    if (state.existing) return merge(state.existing.text, record);
    return { text: newFile(record) };
  }

  function newFile(record) {
    var s = school(), term = data.terms[state.term];
    var header = "# yaml-language-server: $schema=../../schema/record.schema.json\n";
    if (s && term) header += "# " + (s.name + " " + term.name).replace(/[\r\n\u2028\u2029]/g, " ") + "：由“填写工作记录”页面生成\n";
    var body = Object.keys(record).map(function (section) {
      return section + ":\n" + record[section].map(function (item) { return emitItem(item, ""); }).join("");
    }).join("");
    return header + body;
  }

  // ------------------------------------------------------------------ the form

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "class") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  var uid = 0;
  function fieldId(path) { return "hx-rf-" + path.replace(/[^a-z0-9]+/gi, "-"); }

  function control(name, prop, raw, path, onChange, section) {
    var kind = kindOf(prop), base = shape(prop).base, id = fieldId(path), input;
    if (name === "lesson") {
      input = el("select", { id: id });
      input.appendChild(el("option", { value: "", text: "（选择课程）" }));
      var s = school();
      data.lessons.forEach(function (l) {
        if ((section === "drills") !== (l.kind === "drill")) return;
        if (s && !l.tiers.some(function (t) { return s.tiers.indexOf(t) >= 0; })) return;
        input.appendChild(el("option", { value: l.id, text: l.title + "（" + l.id + "）" }));
      });
    } else if (name === "tier") {
      input = el("select", { id: id });
      input.appendChild(el("option", { value: "", text: "（选择学段）" }));
      var sc = school(), chosen = lesson(raw && raw.__lesson);
      (sc ? sc.tiers : Object.keys(data.tiers)).forEach(function (t) {
        if (chosen && chosen.tiers.indexOf(t) < 0) return;
        input.appendChild(el("option", { value: t, text: data.tiers[t] || t }));
      });
    } else if (kind === "enum" || kind === "boolean") {
      input = el("select", { id: id });
      var options = kind === "enum" ? base.enum : [true, false];
      if (prop.default === undefined) input.appendChild(el("option", { value: "", text: "（选择）" }));
      options.forEach(function (o) {
        var text = optionText(prop, o) || (kind === "boolean" ? (o ? "是" : "否") : String(o));
        input.appendChild(el("option", { value: String(o), text: text }));
      });
    } else if (kind === "integer") {
      input = el("input", { id: id, type: "number", inputmode: "numeric", step: "1" });
      if (base.minimum !== undefined) input.min = base.minimum;
      if (base.maximum !== undefined) input.max = base.maximum;
    } else if (kind === "date") {
      input = el("input", { id: id, type: "date" });
    } else if (kind === "text" && base.maxLength === undefined && !base.pattern) {
      input = el("textarea", { id: id, rows: "2" });
    } else {
      input = el("input", { id: id, type: "text" });
      if (isClock(base)) { input.placeholder = "09:20"; }
      if (name === "point") {
        var pts = (school() || { points: [] }).points;
        var list = el("datalist", { id: id + "-list" });
        pts.forEach(function (p) { list.appendChild(el("option", { value: p.id, text: p.name })); });
        input.setAttribute("list", id + "-list");
        input.placeholder = pts.length ? "点位编号，如 " + pts[0].id : "学校档案 patrol_points 中的编号";
        input._datalist = list;
      }
      if (kind === "lines") input.placeholder = "多项用顿号分开，如 一号教学楼、二号教学楼";
    }
    var value = raw && raw.value !== undefined ? raw.value : (prop.default !== undefined && prop.default !== null ? String(prop.default) : "");
    input.value = value;
    if (value && input.tagName === "SELECT" && input.value !== value) {
      input.appendChild(el("option", { value: value, text: value + "（不适用）" }));
      input.value = value;
    }
    input.addEventListener(input.tagName === "SELECT" ? "change" : "input", function () {
      touched[path] = true;
      onChange(input.value);
    });
    input.addEventListener("blur", function () {
      if (!touched[path]) { touched[path] = true; refresh(); }
    });
    return input;
  }

  function fieldBox(name, prop, required, raw, path, onChange, section) {
    var input = control(name, prop, raw, path, onChange, section);
    var msgId = fieldId(path) + "-msg";
    input.setAttribute("aria-describedby", msgId);
    input.setAttribute("data-path", path);
    var lab = el("label", { for: input.id }, [document.createTextNode(label(name, prop)),
      required ? el("span", { class: "hx-rf-req", text: " *", "aria-hidden": "true" }) : null]);
    if (required) input.required = true;
    var box = el("div", { class: "hx-rf-field" + (input.tagName === "TEXTAREA" ? " hx-rf-wide" : "") }, [lab, input, input._datalist || null]);
    var named = (kindOf(prop) === "enum" || kindOf(prop) === "boolean") &&
      optionText(prop, kindOf(prop) === "enum" ? shape(prop).base.enum[0] : true);
    var h = named ? "" : hint(prop, name);
    if (h) box.appendChild(el("p", { class: "hx-rf-hint", text: h }));
    box.appendChild(el("p", { class: "hx-rf-msg", id: msgId, "data-msg": path, role: "status" }));
    return box;
  }

  /* The fields of one entry (or one sub-entry) of `model`, bound to `raw`. */
  function entryFields(model, raw, path, section) {
    var wrap = el("div", { class: "hx-rf-fields" }), required = model.required || [];
    Object.keys(model.properties).forEach(function (name) {
      var prop = model.properties[name], kind = kindOf(prop), where = path + "." + name;
      if (kind === "list") {
        var itemModel = deref(shape(prop).base.items);
        raw[name] = raw[name] || [];
        var group = el("fieldset", { class: "hx-rf-sub" }, [el("legend", { text: label(name, prop) })]);
        raw[name].forEach(function (sub, n) {
          var card = el("div", { class: "hx-rf-subentry" }, [entryFields(itemModel, sub, where + "." + n, section)]);
          card.appendChild(removeButton(function () { raw[name].splice(n, 1); render(); }, label(name, prop)));
          group.appendChild(card);
        });
        group.appendChild(el("button", { type: "button", class: "hx-rf-add", text: "＋ 添加一条" + label(name, prop) }));
        group.lastChild.addEventListener("click", function () { raw[name].push({}); render(); });
        wrap.appendChild(group);
        return;
      }
      if (kind === "object") {
        var on = !!raw[name];
        var toggleId = fieldId(where) + "-on";
        var toggle = el("input", { type: "checkbox", id: toggleId });
        toggle.checked = on;
        toggle.addEventListener("change", function () { raw[name] = toggle.checked ? {} : undefined; render(); });
        var sub = el("fieldset", { class: "hx-rf-sub" }, [el("legend", {}, [toggle, el("label", { for: toggleId, text: " " + label(name, prop) })])]);
        sub.appendChild(el("p", { class: "hx-rf-msg", "data-msg": where, role: "status" }));
        if (on) sub.appendChild(entryFields(shape(prop).base, raw[name], where, section));
        wrap.appendChild(sub);
        return;
      }
      var cell = { value: raw[name] !== undefined ? String(raw[name]) : undefined, __lesson: raw.lesson };
      wrap.appendChild(fieldBox(name, prop, required.indexOf(name) >= 0, cell, where, function (v) {
        raw[name] = v === "" ? undefined : (kind === "integer" || kind === "boolean" ? v : v);
        if (name === "lesson" || name === "form") { render(); return; }
        refresh();
      }, section));
    });
    return wrap;
  }

  function removeButton(onClick, what) {
    var b = el("button", { type: "button", class: "hx-rf-remove", text: "删除这条" + (what || ""), "aria-label": "删除这条" + (what || "") });
    b.addEventListener("click", onClick);
    return b;
  }

  var output, status, copyButton, downloadButton, formArea;

  function render() {
    var focused = document.activeElement && document.activeElement.getAttribute("data-path");
    formArea.textContent = "";
    Object.keys(state.sections).forEach(function (section) {
      var model = sectionModel(section), name = SECTION_NAMES[section] || section;
      var box = el("section", { class: "hx-rf-section", "aria-label": name }, [
        el("h2", { text: name + "（" + state.sections[section].length + " 条）", id: "hx-rf-h-" + section })]);
      state.sections[section].forEach(function (raw, n) {
        var path = section + "." + n;
        var card = el("div", { class: "hx-rf-entry" }, [el("h3", { text: name + " 第 " + (n + 1) + " 条" }),
          el("p", { class: "hx-rf-msg", "data-msg": path, role: "status" }), entryFields(model, raw, path, section)]);
        card.appendChild(removeButton(function () { state.sections[section].splice(n, 1); render(); }, name));
        box.appendChild(card);
      });
      var add = el("button", { type: "button", class: "hx-rf-add", "data-add": section, text: "＋ 添加" + name });
      add.addEventListener("click", function () { state.sections[section].push({}); render(); });
      box.appendChild(add);
      formArea.appendChild(box);
    });
    refresh();
    if (focused) {
      var again = formArea.querySelector('[data-path="' + focused + '"]');
      if (again) again.focus();
    }
  }

  var lastYaml = "";

  function refresh() {
    var result = validate(), errors = result.errors;
    root.querySelectorAll("[data-msg]").forEach(function (p) {
      var path = p.getAttribute("data-msg"), msg = errors[path] || "";
      if (msg === REQUIRED && !touched[path]) msg = "";  // not yet: the person has not got there
      p.textContent = msg;
      var input = root.querySelector('[data-path="' + p.getAttribute("data-msg") + '"]');
      if (input) {
        if (msg) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
    });
    var count = Object.keys(errors).length, entries = Object.keys(result.record).length;
    var s = school(), file = s && data.terms[state.term] ? "records/" + state.term + "/" + s.id + ".yml" : "";
    var merged = toYaml(result.record), missing = recorded() && !state.existing;
    lastYaml = merged.text || "";
    output.textContent = missing ? "" : lastYaml;
    var ok = count === 0 && entries > 0 && !missing && !merged.error;
    copyButton.disabled = downloadButton.disabled = !ok;
    status.className = "hx-rf-status " + (ok ? "hx-rf-ok" : "hx-rf-bad");
    status.textContent = count ? "还有 " + count + " 处要填写或改正（见红字），之后才能复制或下载。"
      : !entries ? "还没有添加任何记录。"
      : missing ? "本校本学期已有记录文件 " + file + "：请先在上面“打开已有记录文件”中选中它，下载的将是加上新记录后的完整文件。"
      : merged.error ? merged.error
      : state.existing ? "检查通过：下载的是原文件（" + counts(state.existing.text) + "）加上新记录后的完整文件，直接替换原文件即可。"
      : "检查通过：可以复制或下载。";
    downloadButton.setAttribute("data-file", (s ? s.id : "record") + ".yml");
    where.textContent = file;
    opened.textContent = state.existing ? "已打开 " + state.existing.name + "（" + counts(state.existing.text) + "）" : "";
    keep();
  }

  // ------------------------------------------------------------------ page

  function select(id, text, options, value, onChange) {
    var input = el("select", { id: id, "data-path": id.replace("hx-rf-", "") });
    options.forEach(function (o) { input.appendChild(el("option", { value: o[0], text: o[1] })); });
    input.value = value;
    input.addEventListener("change", function () { onChange(input.value); });
    return el("div", { class: "hx-rf-field" }, [el("label", { for: id, text: text }), input,
      el("p", { class: "hx-rf-msg", "data-msg": id.replace("hx-rf-", ""), role: "status" })]);
  }

  var head = el("div", { class: "hx-rf-head" }, [
    select("hx-rf-term", "学期", termIds.map(function (t) { return [t, data.terms[t].name + "（" + data.terms[t].first_day + " 至 " + data.terms[t].last_day + "）"]; }),
           state.term, function (v) { state.term = v; state.existing = null; picker.value = ""; render(); }),
    select("hx-rf-school", "学校", [["", "请选择学校"]].concat(data.schools.map(function (s) { return [s.id, s.name + "（" + s.id + "）"]; })),
           state.school, function (v) { state.school = v; state.existing = null; picker.value = ""; render(); }),
    fileBox()]);
  function fileBox() {
    picker = el("input", { type: "file", id: "hx-rf-file", accept: ".yml,.yaml", "data-path": "file" });
    picker.addEventListener("change", function () {
      var chosen = picker.files && picker.files[0];
      if (!chosen) return;
      var reader = new FileReader();
      reader.onload = function () { openFile(chosen.name, String(reader.result)); };
      reader.readAsText(chosen, "utf-8");
    });
    var clear = el("button", { type: "button", class: "hx-rf-remove", text: "清空，重新填写" });
    clear.addEventListener("click", function () {
      if (entryCount() && !window.confirm("清空已填写的全部内容？")) return;
      Object.keys(state.sections).forEach(function (k) { state.sections[k] = []; });
      state.existing = null; picker.value = ""; touched = {};
      render();
    });
    opened = el("p", { class: "hx-rf-hint", role: "status" });
    // The browser's own button would read "Choose File" in an English system: a Chinese one opens it.
    picker.className = "hx-rf-fileinput";
    var choose = el("button", { type: "button", class: "md-button", text: "选择文件…", "aria-hidden": "true", tabindex: "-1" });
    choose.addEventListener("click", function () { picker.click(); });
    return el("div", { class: "hx-rf-field hx-rf-wide" }, [
      el("label", { for: "hx-rf-file", text: "打开已有记录文件（本校本学期已有记录时必选）" }), picker, choose, opened,
      el("p", { class: "hx-rf-msg", "data-msg": "file", role: "status" }), clear]);
  }

  function openFile(name, text) {
    var msg = root.querySelector('[data-msg="file"]'), stem = name.replace(/\.ya?ml$/i, "");
    var keys = (text.match(/^[^\s#-][^:\n]*:/gm) || []).map(function (k) { return k.slice(0, -1).trim(); });
    var strange = keys.filter(function (k) { return !(k in state.sections); });
    if (strange.length) { msg.textContent = "这不是工作记录文件（有 " + strange.join("、") + " 等项）"; picker.value = ""; return; }
    if (state.school && stem !== state.school) {
      msg.textContent = "这是 " + stem + ".yml，当前选的学校是 " + state.school + "：请选对应的文件"; picker.value = ""; return;
    }
    if (!state.school && data.schools.some(function (s) { return s.id === stem; })) {
      state.school = stem; document.getElementById("hx-rf-school").value = stem;
    }
    msg.textContent = "";
    state.existing = { name: name, text: text };
    render();
  }

  var picker, opened;
  formArea = el("div", { class: "hx-rf-form" });
  status = el("p", { class: "hx-rf-status", role: "status", "aria-live": "polite" });
  output = el("code", { id: "hx-rf-yaml" });
  var where = el("code", { class: "hx-rf-where" });
  copyButton = el("button", { type: "button", class: "md-button md-button--primary", text: "复制 YAML" });
  downloadButton = el("button", { type: "button", class: "md-button", text: "下载文件" });
  var copied = el("span", { class: "hx-rf-copied", role: "status" });
  copyButton.addEventListener("click", function () {
    var done = function () { copied.textContent = "已复制"; saved = lastYaml; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(lastYaml).then(done, fallback);
    } else fallback();
    function fallback() {
      var area = el("textarea", { readonly: "", class: "hx-rf-clip" });
      area.value = lastYaml;
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy"); done(); } catch (e) { copied.textContent = "请手动选中下面的文本复制"; }
      document.body.removeChild(area);
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (entryCount() && lastYaml !== saved) { event.preventDefault(); event.returnValue = ""; }
  });
  downloadButton.addEventListener("click", function () {
    saved = lastYaml;
    var blob = new Blob([lastYaml], { type: "text/yaml;charset=utf-8" });
    var a = el("a", { href: URL.createObjectURL(blob), download: downloadButton.getAttribute("data-file") });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); document.body.removeChild(a); }, 0);
  });
  var result = el("section", { class: "hx-rf-output", "aria-label": "生成的 YAML" }, [
    el("h2", { text: "生成的记录" }), status,
    el("p", {}, [document.createTextNode("保存为 "), where, document.createTextNode("。")]),
    el("div", { class: "hx-rf-buttons" }, [copyButton, downloadButton, copied]),
    el("pre", {}, [output])]);
  if (restored) head.appendChild(el("p", { class: "hx-rf-restored", role: "status",
    text: "已恢复上次没有下载的填写内容（保存在本机浏览器中）。" }));
  root.appendChild(head);
  root.appendChild(formArea);
  root.appendChild(result);
  render();
})();
