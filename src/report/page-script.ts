// The report page's script, inlined into the HTML: the item browser (search, facet filters, a
// virtual list that draws only the visible rows, so 10^5 items open without freezing) and the
// detail view (rounds with word diffs, pair verdicts, criteria). Plain ES2017, no dependencies;
// every text from the data goes into the page through textContent, never as markup.

export const PAGE_SCRIPT = String.raw`
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("charter-data").textContent);
  var ROW = 44;
  var facets = data.facets;
  var items = data.items; // [run, id, text, outcome, facetIndexes, detailed]
  var haystack = null;
  var shown = [];
  var shownVersion = 0;
  var selected = -1;
  var listEl = document.getElementById("item-list");
  var spacer = listEl.querySelector(".spacer");
  var countEl = document.getElementById("item-count");
  var detailEl = document.getElementById("item-detail");
  var searchEl = document.getElementById("item-search");
  var filtersEl = document.getElementById("item-filters");
  var selects = [];

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function fmt(p) { return typeof p === "number" ? p.toFixed(3) : "–"; }

  // One select per facet category (principle, tag, failure, flag, rule, tie, ...), plus the run.
  var categories = {};
  facets.forEach(function (facet, index) {
    var colon = facet.indexOf(":");
    var category = facet.slice(0, colon);
    (categories[category] = categories[category] || []).push(index);
  });
  function addSelect(label, options, test) {
    var select = el("select");
    select.setAttribute("aria-label", label);
    select.appendChild(el("option", null, "any " + label)).value = "";
    options.forEach(function (option) { var o = el("option", null, option[1]); o.value = option[0]; select.appendChild(o); });
    select.addEventListener("change", apply);
    filtersEl.appendChild(select);
    selects.push({ select: select, test: test });
  }
  if (data.runs.length > 1) {
    addSelect("run", data.runs.map(function (run, index) { return [String(index), run.name]; }), function (item, value) { return item[0] === Number(value); });
  }
  Object.keys(categories).sort().forEach(function (category) {
    var options = categories[category].map(function (index) { return [String(index), facets[index].slice(category.length + 1)]; });
    options.sort(function (a, b) { return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0; });
    addSelect(category, options, function (item, value) { return item[4].indexOf(Number(value)) >= 0; });
  });
  var detailOnly = el("label", null);
  var detailBox = el("input");
  detailBox.type = "checkbox";
  detailBox.addEventListener("change", apply);
  detailOnly.appendChild(detailBox);
  detailOnly.appendChild(document.createTextNode(" with full detail"));
  filtersEl.appendChild(detailOnly);

  function apply() {
    var query = searchEl.value.trim().toLowerCase();
    if (query && haystack === null) {
      haystack = items.map(function (item) { return (item[1] + "\n" + item[2] + "\n" + item[3]).toLowerCase(); });
    }
    var active = selects.filter(function (s) { return s.select.value !== ""; });
    shown = [];
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      if (query && haystack[i].indexOf(query) < 0) continue;
      if (detailBox.checked && !item[5]) continue;
      var ok = true;
      for (var j = 0; j < active.length && ok; j++) ok = active[j].test(item, active[j].select.value);
      if (ok) shown.push(i);
    }
    shownVersion += 1;
    countEl.textContent = shown.length + " of " + items.length + " items";
    spacer.style.height = shown.length * ROW + "px";
    listEl.scrollTop = 0;
    draw();
  }

  var drawn = {};
  var drawnRange = "";
  function draw() {
    var first = Math.max(0, Math.floor(listEl.scrollTop / ROW) - 5);
    var last = Math.min(shown.length, first + Math.ceil(listEl.clientHeight / ROW) + 10);
    // Rows are replaced only when the window moves: a row must survive between mousedown and
    // mouseup, or the click is lost.
    var range = first + ":" + last + ":" + shown.length + ":" + shownVersion;
    if (range === drawnRange) return;
    drawnRange = range;
    spacer.textContent = "";
    drawn = {};
    for (var k = first; k < last; k++) {
      var index = shown[k];
      var item = items[index];
      var row = el("div", "row" + (index === selected ? " selected" : ""));
      row.style.top = k * ROW + "px";
      row.setAttribute("data-index", String(index));
      var head = el("div");
      head.appendChild(el("span", "id", item[1]));
      head.appendChild(el("span", "outcome", item[3]));
      if (item[5]) head.appendChild(el("span", "sampled", "● detail"));
      row.appendChild(head);
      row.appendChild(el("div", "text", item[2]));
      spacer.appendChild(row);
      drawn[index] = row;
    }
  }
  var pending = false;
  listEl.addEventListener("scroll", function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; draw(); });
  });
  listEl.addEventListener("click", function (event) {
    var row = event.target.closest(".row");
    if (!row) return;
    select(Number(row.getAttribute("data-index")));
  });
  var timer = null;
  searchEl.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 120);
  });

  function message(role, content) {
    var box = el("div", "msg " + role);
    box.appendChild(el("div", "who", role));
    box.appendChild(el("pre", null, content));
    return box;
  }

  // A prompt is a conversation: every turn in order, each with its role.
  function conversation(turns, box) {
    turns.forEach(function (m) { box.appendChild(message(m.role, m.content)); });
  }

  function diffView(spans) {
    var box = el("div", "diff");
    spans.forEach(function (span) {
      var tag = span[0] === 1 ? "ins" : span[0] === -1 ? "del" : "span";
      box.appendChild(el(tag, null, span[1]));
    });
    return box;
  }

  function renderRevise(detail, box) {
    if (detail.tags.length) box.appendChild(el("p", "muted", "tags: " + detail.tags.join(", ")));
    conversation(detail.prompt, box);
    if (detail.firstReply !== undefined) {
      box.appendChild(el("h3", null, detail.given ? "Given reply" : "First reply"));
      box.appendChild(message("assistant", detail.firstReply));
    }
    detail.rounds.forEach(function (round) {
      var r = el("div", "round");
      var head = el("div", "head", "Round " + round.round + (round.principle ? " · " + round.principle : ""));
      head.appendChild(el("span", "badge " + round.status, round.status));
      r.appendChild(head);
      if (round.reason) r.appendChild(el("p", "muted", round.reason));
      if (round.finishReasons.length) r.appendChild(el("p", "note", "finish: " + round.finishReasons.join(", ")));
      if (round.critiqueRequest) { r.appendChild(el("h3", null, "Critique request")); r.appendChild(el("pre", "muted", round.critiqueRequest)); }
      if (round.critique !== undefined) { r.appendChild(el("h3", null, "Critique")); r.appendChild(el("pre", null, round.critique)); }
      if (round.diff) { r.appendChild(el("h3", null, "Revision (changes against the reply before it)")); r.appendChild(diffView(round.diff)); }
      else if (round.revision !== undefined) { r.appendChild(el("h3", null, "Revision")); r.appendChild(el("pre", null, round.revision)); }
      if (round.rejectedBy.length) r.appendChild(el("p", "note", "rejected by " + round.rejectedBy.join(", ")));
      if (round.rules.length) {
        var t = el("table", "grid");
        round.rules.forEach(function (check) {
          var tr = el("tr");
          tr.appendChild(el("td", null, check.stage || ""));
          tr.appendChild(el("td", null, check.rule));
          tr.appendChild(el("td", null, check.kind));
          tr.appendChild(el("td", null, check.holds ? "holds" : "does not hold"));
          tr.appendChild(el("td", null, check.source || ""));
          t.appendChild(tr);
        });
        r.appendChild(t);
      }
      box.appendChild(r);
    });
    if (detail.finalReply !== undefined) { box.appendChild(el("h3", null, "Final reply")); box.appendChild(message("assistant", detail.finalReply)); }
    if (detail.recheck.length) {
      box.appendChild(el("h3", null, "Recheck"));
      detail.recheck.forEach(function (c) { box.appendChild(el("div", null, c.principle + ": " + (c.clean ? "clean" : "flagged"))); });
    }
    if (detail.failure) box.appendChild(el("p", "note", "failed: " + detail.failure.code + " " + detail.failure.message));
  }

  function renderPair(detail, box) {
    conversation(detail.prompt, box);
    var p = el("p", null, (detail.tie ? "Tie · P(A) " : "P(chosen) ") + fmt(detail.probability) + (detail.decidedBy ? " · decided by " + detail.decidedBy + (detail.rule ? " " + detail.rule : "") : ""));
    box.appendChild(p);
    if (detail.agreesWithGiven !== undefined) box.appendChild(el("p", "muted", detail.agreesWithGiven ? "agrees with the given label" : "disagrees with the given label"));
    var pair = el("div", "pair");
    detail.replies.forEach(function (reply, index) {
      var r = el("div", "reply" + (!detail.tie && index === 0 ? " chosen" : ""));
      r.appendChild(el("div", "who", reply.label + " · " + reply.words + " words"));
      r.appendChild(el("pre", null, reply.text));
      pair.appendChild(r);
    });
    box.appendChild(pair);
    if (detail.verdicts.length) {
      box.appendChild(el("h3", null, "Verdicts (P that the input's first reply is better)"));
      var t = el("table", "grid");
      var h = el("tr");
      ["judge", "principle", "orders", "P(first)", "orders agree"].forEach(function (c) { h.appendChild(el("th", null, c)); });
      t.appendChild(h);
      detail.verdicts.forEach(function (v) {
        var tr = el("tr");
        tr.appendChild(el("td", null, v.judge || ""));
        var pc = el("td", null, v.principle || "");
        if (v.question) pc.title = v.question;
        tr.appendChild(pc);
        tr.appendChild(el("td", null, v.orders.map(function (o) { return o.order + " " + fmt(o.probabilityFirst); }).join(" · ")));
        tr.appendChild(el("td", "num", fmt(v.probabilityFirst)));
        tr.appendChild(el("td", null, v.consistent === undefined ? "" : v.consistent ? "yes" : "no"));
        t.appendChild(tr);
      });
      box.appendChild(t);
    }
  }

  function renderScore(detail, box) {
    if (detail.prompt !== undefined) conversation(detail.prompt, box);
    if (detail.rubric) box.appendChild(el("p", "muted", "rubric " + detail.rubric + (detail.rubricFrom ? " (chosen by " + detail.rubricFrom + ")" : "")));
    if (detail.failure) box.appendChild(el("p", "note", "not scored: " + detail.failure));
    detail.replies.forEach(function (reply) {
      var r = el("div", "round");
      r.appendChild(el("div", "head", "Reply " + reply.index + (reply.score !== undefined ? " · score " + fmt(reply.score) : "")));
      if (reply.text !== undefined) r.appendChild(el("pre", null, reply.text));
      if (reply.criteria.length) {
        var t = el("table", "grid");
        var h = el("tr");
        ["criterion", "kind", "weight", "P(holds)", "method", "judges"].forEach(function (c) { h.appendChild(el("th", null, c)); });
        t.appendChild(h);
        reply.criteria.forEach(function (c) {
          var tr = el("tr");
          tr.appendChild(el("td", null, c.criterion + (c.check ? " [" + c.check + "]" : "")));
          tr.appendChild(el("td", null, c.kind || ""));
          tr.appendChild(el("td", "num", c.weight === undefined ? "" : c.weight));
          tr.appendChild(el("td", "num", fmt(c.probability)));
          tr.appendChild(el("td", null, c.method || ""));
          tr.appendChild(el("td", null, c.judges.map(function (j) { return j.judge + " " + fmt(j.probability); }).join(", ")));
          t.appendChild(tr);
        });
        r.appendChild(t);
      }
      box.appendChild(r);
    });
  }

  function select(index) {
    if (drawn[selected]) drawn[selected].classList.remove("selected");
    selected = index;
    if (drawn[index]) drawn[index].classList.add("selected");
    var item = items[index];
    var run = data.runs[item[0]];
    detailEl.textContent = "";
    var title = el("h3", null, item[1]);
    title.appendChild(el("span", "badge", run.name));
    detailEl.appendChild(title);
    detailEl.appendChild(el("p", "muted", item[3]));
    var facetsLine = item[4].map(function (f) { return facets[f]; }).join(" · ");
    if (facetsLine) detailEl.appendChild(el("p", "muted", facetsLine));
    var detail = data.details[item[0] + ":" + item[1]];
    if (!detail) {
      detailEl.appendChild(el("p", "note", "This item is not in the detailed sample (" + run.sample.size + " of " + run.sample.of + " items of this run are shown in full). Its prompt: "));
      detailEl.appendChild(el("pre", null, item[2]));
      return;
    }
    if (detail.kind === "revise") renderRevise(detail, detailEl);
    else if (detail.kind === "pair") renderPair(detail, detailEl);
    else if (detail.kind === "score") renderScore(detail, detailEl);
    else { detailEl.appendChild(el("p", "muted", detail.file)); detailEl.appendChild(el("pre", null, detail.json)); }
  }

  apply();
  var firstDetailed = -1;
  for (var i = 0; i < items.length; i++) if (items[i][5]) { firstDetailed = i; break; }
  if (firstDetailed >= 0) select(firstDetailed);
})();
`;
