/* govkg graph view: search, type and report filters, neighbourhood highlight, and the
   sentence-level side panel. Labels and sentences come from documents and are untrusted: they
   reach the page only through textContent and DOM APIs, never innerHTML. */
(function () {
  "use strict";

  // performance marks let bench/view_render.py say where the first render's time goes
  performance.mark("govkg:start");
  var DATA = JSON.parse(document.getElementById("govkg-data").textContent);
  performance.mark("govkg:parsed");
  // the side panel's data (per-node details and the quoted sentences) is most of the page;
  // it sits in its own JSON block, parsed on the first look
  var PANEL = null;
  function panelData() {
    if (!PANEL) PANEL = JSON.parse(document.getElementById("govkg-panel").textContent);
    return PANEL;
  }
  Object.defineProperty(DATA, "info", { get: function () { return panelData().info; } });
  Object.defineProperty(DATA, "sentences", { get: function () { return panelData().sentences; } });
  function predIri(p) { return (DATA.predKeys && DATA.predKeys[p]) || p; }
  function drawn(id) { return Object.prototype.hasOwnProperty.call(DATA.names, id); }
  var TYPES = {};
  DATA.types.forEach(function (t) { TYPES[t.key] = t; });
  var NODE_FONT = "#222222", EDGE_COLOR = "#b5b5b5", EDGE_FONT = "#555555";
  var DIM_NODE = { background: "#eeeeee", border: "#dddddd",
                   highlight: { background: "#eeeeee", border: "#dddddd" },
                   hover: { background: "#eeeeee", border: "#cccccc" } };

  var state = {
    types: new Set(DATA.types.map(function (t) { return t.key; })),
    report: null,          // index into DATA.reports, or null for all
    minReports: DATA.minReports || 1,  // overview: entities named in at least this many reports
    isolated: false,       // also show nodes whose every edge is filtered out
    selected: null,
    dimmed: false,
  };

  // -- small DOM helpers: text only ---------------------------------------------------------
  function h(tag, props, children) {
    var el = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        if (k === "text") el.textContent = props[k];
        else if (k === "dataset") Object.assign(el.dataset, props[k]);
        else if (k === "style") Object.assign(el.style, props[k]);
        else el[k] = props[k];
      });
    }
    add(el, children);
    return el;
  }
  function add(el, children) {
    if (children == null) return el;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (c) {
      if (c == null || c === false) return;
      el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return el;
  }
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }

  var SVG = "http://www.w3.org/2000/svg";
  function swatch(shape, color) {
    var s = document.createElementNS(SVG, "svg");
    s.setAttribute("viewBox", "0 0 16 16");
    s.setAttribute("class", "swatch");
    s.setAttribute("aria-hidden", "true");
    var el;
    var pts = {
      diamond: "8,1 15,8 8,15 1,8", triangle: "8,1.5 15,14.5 1,14.5", triangleDown: "1,1.5 15,1.5 8,14.5",
      hexagon: "4.5,2 11.5,2 15,8 11.5,14 4.5,14 1,8",
      star: "8,1 10,6 15.5,6.2 11.2,9.6 12.8,15 8,11.8 3.2,15 4.8,9.6 0.5,6.2 6,6",
    };
    if (shape === "dot") {
      el = document.createElementNS(SVG, "circle");
      el.setAttribute("cx", "8"); el.setAttribute("cy", "8"); el.setAttribute("r", "6.5");
    } else if (shape === "square") {
      el = document.createElementNS(SVG, "rect");
      el.setAttribute("x", "2"); el.setAttribute("y", "2"); el.setAttribute("width", "12"); el.setAttribute("height", "12");
    } else {
      el = document.createElementNS(SVG, "polygon");
      el.setAttribute("points", pts[shape] || pts.diamond);
    }
    el.setAttribute("fill", color);
    el.setAttribute("stroke", "rgba(0,0,0,0.35)");
    s.appendChild(el);
    return s;
  }

  // -- the network ----------------------------------------------------------------------------
  var baseColor = new Map();
  var degree = new Map();
  DATA.nodes.forEach(function (n) { baseColor.set(n.id, JSON.parse(JSON.stringify(n.color))); degree.set(n.id, 0); });
  DATA.edges.forEach(function (e) {
    degree.set(e.from, (degree.get(e.from) || 0) + 1);
    degree.set(e.to, (degree.get(e.to) || 0) + 1);
  });
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var inReport = function (item) { return state.report === null || item.reps.indexOf(state.report) >= 0; };
  // what the filters let through, worked out once per change (the data views only look it up):
  // nodes of the ticked types, in the chosen report, shared by enough reports (one report
  // chosen: its whole subgraph); the edges among them; and of those nodes the ones with an edge
  var shownNodes = new Set(), shownEdges = new Set();
  function passes(n) {
    if (!state.types.has(n.kind) || !inReport(n)) return false;
    return n.kind === "Report" || state.report !== null || (n.nrep || 1) >= state.minReports;
  }
  function recompute() {
    var ok = new Set(), touched = new Set();
    shownEdges = new Set();
    DATA.nodes.forEach(function (n) { if (passes(n)) ok.add(n.id); });
    DATA.edges.forEach(function (e) {
      if (ok.has(e.from) && ok.has(e.to) && inReport(e)) { shownEdges.add(e.id); touched.add(e.from); touched.add(e.to); }
    });
    shownNodes = state.isolated ? ok : touched;
  }
  recompute();
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return shownNodes.has(n.id); } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return shownEdges.has(e.id); } });
  function refresh() {
    recompute();
    nodeView.refresh();
    edgeView.refresh();
    if (state.selected && !nodeView.get(state.selected)) clearSelection();
    updateStatus();
  }
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: [], edges: [] }, DATA.options);

  var api = window.govkgView = {
    network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
    data: DATA, ready: false, firstDrawMs: null,
  };

  // -- labels readable at any zoom ----------------------------------------------------------
  // vis-network skips a label whose size on screen is under drawThreshold, so at the fitted
  // zoom of a large graph no label is drawn at all. The best-connected nodes (DATA.labelled)
  // get a font large enough for LABEL_PX screen pixels at the current scale, redone when a
  // zoom ends; the others keep the base size and show up as one zooms in.
  var LABEL_PX = 13, BASE_FONT = (DATA.options.nodes && DATA.options.nodes.font && DATA.options.nodes.font.size) || 14;
  var labelled = (DATA.labelled || []).filter(function (id) { return nodes.get(id); });
  var labelScale = null;
  function scaleLabels() {
    var s = network.getScale();
    if (!isFinite(s) || s <= 0 || (labelScale && Math.abs(s - labelScale) / labelScale < 0.05)) return;
    labelScale = s;
    var size = Math.min(Math.max(BASE_FONT, Math.ceil(LABEL_PX / s)), 400);
    nodes.update(labelled.map(function (id) { return { id: id, font: { size: size } }; }));
  }
  api.scaleLabels = scaleLabels;
  var zoomTimer = null;
  network.on("zoom", function () {
    clearTimeout(zoomTimer);
    zoomTimer = setTimeout(scaleLabels, 150);
  });
  api.labelledShown = function () {
    // ids of the labelled nodes whose label vis-network draws at the current zoom
    var s = network.getScale(), t = DATA.options.nodes.scaling.label.drawThreshold;
    return labelled.filter(function (id) {
      var n = nodes.get(id);
      return shownNodes.has(id) && ((n.font && n.font.size) || BASE_FONT) * s >= t;
    });
  };

  function markReady() {
    if (api.ready) return;
    updateStatus();
    focusFromUrl();
    api.ready = true;
    document.documentElement.setAttribute("data-govkg-ready", "1");
  }
  network.once("afterDrawing", function () {
    performance.mark("govkg:drawn");
    scaleLabels();
    api.firstDrawMs = performance.now();
    if (!DATA.physics) markReady();
  });
  if (DATA.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit({ animation: false });
      scaleLabels();
      markReady();
    });
  }
  performance.mark("govkg:datasets");
  network.setData({ nodes: nodeView, edges: edgeView });
  if (!DATA.physics) network.fit({ animation: false });
  performance.mark("govkg:network");
  setTimeout(markReady, 8000);  // never leave the page "not ready" if an event is missed

  // -- neighbourhood highlight ------------------------------------------------------------
  function highlight(id) {
    var keep = new Set(network.getConnectedNodes(id));
    keep.add(id);
    var keepEdges = new Set(network.getConnectedEdges(id));
    var nu = [], eu = [];
    nodes.forEach(function (n) {
      var on = keep.has(n.id);
      nu.push({ id: n.id, color: on ? baseColor.get(n.id) : DIM_NODE, font: { color: on ? NODE_FONT : "#bbbbbb" } });
    });
    edges.forEach(function (e) {
      var on = keepEdges.has(e.id);
      eu.push({ id: e.id, color: { color: on ? "#555555" : "#ececec" }, font: { color: on ? "#333333" : "rgba(0,0,0,0)" } });
    });
    nodes.update(nu);
    edges.update(eu);
    state.dimmed = true;
  }
  function unhighlight() {
    if (!state.dimmed) return;
    nodes.update(DATA.nodes.map(function (n) { return { id: n.id, color: baseColor.get(n.id), font: { color: NODE_FONT } }; }));
    edges.update(DATA.edges.map(function (e) { return { id: e.id, color: { color: EDGE_COLOR }, font: { color: EDGE_FONT } }; }));
    state.dimmed = false;
  }

  // -- filters ------------------------------------------------------------------------------
  var typeBoxes = {};
  var filterList = document.getElementById("type-filters");
  DATA.types.forEach(function (t) {
    var box = h("input", { type: "checkbox", checked: true, disabled: t.count === 0, dataset: { type: t.key } });
    typeBoxes[t.key] = box;
    box.addEventListener("change", function () { setTypeVisible(t.key, box.checked); });
    filterList.appendChild(h("li", null, h("label", { title: t.en }, [
      box, swatch(t.shape, t.color), h("span", { text: t.zh }), h("span", { className: "en", text: t.en }),
      h("span", { className: "count", text: String(t.count) }),
    ])));
  });
  function setTypeVisible(type, on) {
    if (on) state.types.add(type); else state.types.delete(type);
    if (typeBoxes[type]) typeBoxes[type].checked = on;
    refresh();
  }
  api.setTypeVisible = setTypeVisible;

  var reportBox = document.getElementById("report-box");
  var reportSelect = document.getElementById("report-filter");
  if (DATA.reports.length > 1) {
    reportBox.hidden = false;
    reportSelect.appendChild(h("option", { value: "", text: "全部报告 (" + DATA.reports.length + ")" }));
    DATA.reports.forEach(function (r, i) {
      reportSelect.appendChild(h("option", { value: String(i), text: r.label + (r.year && r.label.indexOf(r.year) < 0 ? " (" + r.year + ")" : "") }));
    });
    reportSelect.addEventListener("change", function () {
      setReport(reportSelect.value === "" ? null : Number(reportSelect.value));
    });
  }
  // the overview draws a few of each entity's mention edges; a chosen report gets all of its own
  var mentionPairs = new Set(), mentionsAdded = new Set();
  DATA.edges.forEach(function (e) { if (e.pred === "m") mentionPairs.add(e.from + "\u0000" + e.to); });
  function addMentions(i) {
    if (!DATA.overview || i === null || mentionsAdded.has(i)) return;
    mentionsAdded.add(i);
    var rep = DATA.reports[i].id, add = [];
    if (!nodes.get(rep)) return;
    DATA.nodes.forEach(function (n) {
      if (n.kind === "Report" || n.kind === "Statistic" || n.reps.indexOf(i) < 0) return;
      var key = n.id + "\u0000" + rep;
      if (mentionPairs.has(key)) return;
      mentionPairs.add(key);
      var e = { id: "m" + i + "\u0000" + n.id, from: n.id, to: rep, pred: "m", reps: [i], arrows: "to" };
      add.push(e);
      DATA.edges.push(e);
      degree.set(n.id, (degree.get(n.id) || 0) + 1);
      degree.set(rep, (degree.get(rep) || 0) + 1);
    });
    if (add.length) edges.add(add);
  }
  function setReport(i) {
    addMentions(i);
    state.report = i;
    reportSelect.value = i === null ? "" : String(i);
    sharedBox.hidden = !DATA.overview || i !== null;  // one report: its whole subgraph
    refresh();
    network.fit({ animation: false });
    scaleLabels();
  }
  api.setReport = setReport;

  var sharedBox = document.getElementById("shared-box");
  var minInput = document.getElementById("min-reports");
  var minValue = document.getElementById("min-reports-value");
  function setMinReports(k) {
    state.minReports = Math.max(1, Math.min(Number(k) || 1, DATA.maxShared || 1));
    minInput.value = String(state.minReports);
    minValue.textContent = String(state.minReports);
    refresh();
  }
  api.setMinReports = setMinReports;
  if (DATA.overview && DATA.reports.length > 1) {
    sharedBox.hidden = false;
    minInput.max = String(DATA.maxShared || 1);
    minInput.value = String(state.minReports);
    minValue.textContent = String(state.minReports);
    minInput.addEventListener("input", function () { setMinReports(minInput.value); });
  }
  var isolatedBox = document.getElementById("isolated");
  isolatedBox.addEventListener("change", function () { state.isolated = isolatedBox.checked; refresh(); });

  function ensureVisible(id) {
    var n = nodes.get(id);
    if (!n) return false;
    if (!state.types.has(n.kind)) setTypeVisible(n.kind, true);
    if (state.report !== null && n.reps.indexOf(state.report) < 0) setReport(null);
    if (!shownNodes.has(id) && n.kind !== "Report" && (n.nrep || 1) < state.minReports) setMinReports(n.nrep || 1);
    if (!shownNodes.has(id)) { state.isolated = isolatedBox.checked = true; refresh(); }
    return true;
  }

  function visibleNodeIds() { return network.body.nodeIndices.slice(); }
  api.visibleNodeIds = visibleNodeIds;

  var statusEl = document.getElementById("status");
  function updateStatus(msg) {
    var shown = nodeView.length;
    var ids = new Set(nodeView.getIds());
    var es = 0;
    edgeView.forEach(function (e) { if (ids.has(e.from) && ids.has(e.to)) es += 1; });
    statusEl.textContent = (msg ? msg + " · " : "") + "显示 " + shown + " / " + DATA.nodes.length + " 个节点 · " + es + " 条关系";
  }

  var notice = document.getElementById("notice");
  var notes = [];
  if (DATA.leftOut.count > 0) {
    var parts = Object.keys(DATA.leftOut.byType).map(function (k) {
      return (TYPES[k] ? TYPES[k].zh : k) + " " + DATA.leftOut.byType[k];
    });
    notes.push("只显示" + (DATA.overview ? "见于报告最多、" : "") + "连接最多的 " + DATA.nodes.length + " 个节点,省略了 " +
      DATA.leftOut.count + " / " + DATA.leftOut.total + " 个(" + parts.join("、") + "),例如:" +
      DATA.leftOut.examples.slice(0, 5).join("、") + "。",
      h("br"), "Left out the " + DATA.leftOut.count + " least connected nodes. To see them: a larger --max-nodes, " +
      "one report's whole graph with --report FILE, or fewer kinds with --types Agency,Law.");
  }
  if (DATA.statisticsLeftOut) {
    if (notes.length) notes.push(h("br"));
    notes.push("总览不含统计数据。Statistics are not in the overview: --types with Statistic, or --report, draws them.");
  }
  if (DATA.unconnected > 0) {
    if (notes.length) notes.push(h("br"));
    notes.push(DATA.unconnected + " 个无连线的节点未绘制。" + DATA.unconnected +
      " nodes without an edge are not drawn: --isolated draws them.");
  }
  if (notes.length) { notice.hidden = false; add(notice, notes); }

  // -- selection, panel -------------------------------------------------------------------
  var panel = document.getElementById("panel");
  var body = document.getElementById("panel-body");
  document.getElementById("panel-close").addEventListener("click", clearSelection);
  document.getElementById("fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });

  function labelOf(id) {
    return (drawn(id) && DATA.names[id][0]) || DATA.labels[id] || id;
  }
  function typeOf(id) {
    var n = drawn(id) && nodes.get(id);
    return (n && n.kind) || DATA.typeOf[id] || null;
  }
  function reportLabel(id) {
    for (var i = 0; i < DATA.reports.length; i++) if (DATA.reports[i].id === id) return DATA.reports[i].label;
    return labelOf(id);
  }
  function badge(type) {
    var t = TYPES[type] || { zh: type, en: type, color: "#8c959f" };
    return h("span", { className: "badge", text: t.zh, title: t.en, style: { background: t.color } });
  }
  function nodeLink(id) {
    var label = labelOf(id);
    if (drawn(id)) {
      var b = h("button", { type: "button", className: "link", text: label, title: label });
      b.addEventListener("click", function () { select(id, { focus: true }); });
      return b;
    }
    return h("button", { type: "button", className: "link", text: label, disabled: true,
                         title: "此视图未显示该节点 (--max-nodes / --types)" });
  }
  function section(title, en, content) {
    return [h("h3", null, [title + " ", h("span", { className: "en", text: en })]), content];
  }
  function sentenceItem(key, spans, tag) {
    var s = DATA.sentences[key];
    var li = h(tag || "li", { className: "sentence" });
    var role = DATA.roles[s.role];
    li.appendChild(h("span", { className: "role role-" + (role ? s.role : "none"),
                               text: role ? role[0] : "—", title: role ? role[1] : "" }));
    var pos = 0;
    (spans || []).filter(function (x) { return x[0] >= 0 && x[1] > 0; })
      .sort(function (a, b) { return a[0] - b[0]; })
      .forEach(function (x) {
        if (x[0] < pos) return;
        li.appendChild(document.createTextNode(s.text.slice(pos, x[0])));
        li.appendChild(h("mark", { text: s.text.slice(x[0], x[0] + x[1]) }));
        pos = x[0] + x[1];
      });
    li.appendChild(document.createTextNode(s.text.slice(pos)));
    var where = (DATA.reports.length > 1 ? reportLabel(s.report) + " · " : "") +
      (s.heading ? "标题" : "第 " + (s.index + 1) + " 句");
    li.appendChild(h("span", { className: "src", text: where }));
    return li;
  }
  function facts(rows) {
    var dl = h("dl", { className: "facts" });
    rows.forEach(function (r) {
      if (r[1] == null || r[1] === "") return;
      dl.appendChild(h("dt", { text: r[0], title: r[2] || "" }));
      dl.appendChild(h("dd", null, r[1]));
    });
    return dl;
  }
  function relItem(id, r) {
    var pred = DATA.preds[r.p] || [r.p, r.p];
    var me = h("span", { className: "self", text: labelOf(id) });
    var p = h("span", { className: "pred", text: pred[0], title: pred[1] + " <" + r.p + ">" });
    var li = h("li", null, r.dir === "out" ? [me, p, "→ ", nodeLink(r.other)] : [nodeLink(r.other), p, "→ ", me]);
    if (r.ev.length) {
      var ol = h("ol", { className: "sentences ev" });
      r.ev.forEach(function (ev) { ol.appendChild(sentenceItem(ev[0], ev[1])); });
      li.appendChild(ol);
    }
    return li;
  }
  function statList(ids) {
    var ul = h("ul", { className: "stats" });
    ids.forEach(function (s) { ul.appendChild(h("li", null, nodeLink(s))); });
    return ul;
  }

  function renderPanel(id) {
    var d = DATA.info[id];
    clear(body);
    var out = [badge(d.type), h("h2", { text: d.type === "Law" ? "《" + d.label + "》" : d.label }),
               h("div", { className: "iri", text: id, title: "IRI" })];
    if (d.type === "Statistic") {
      out.push(h("div", { className: "big", text: (d.approximate ? "约 " : "") + d.value + d.unit }));
      out.push(facts([
        ["统计对象", d.measure, "what is counted"], ["数值", d.value, "value"], ["单位", d.unit, "unit"],
        ["年度", d.year, "year"], ["约数", d.approximate ? "是" : "", "approximate"],
        ["原文", d.surface, "text as the report words it"],
        ["关于", d.about ? nodeLink(d.about) : "", "about"],
        ["所属报告", d.reports.length ? nodeLink(d.reports[0]) : "", "report"],
      ]));
      if (d.sentence) {
        out = out.concat(section("出处句子", "Source sentence", h("ol", { className: "sentences" },
          sentenceItem(d.sentence[0], [d.sentence[1]]))));
      }
    } else if (d.type === "Report") {
      out.push(facts([
        ["年度", d.year, "year"],
        ["发布机关", d.creator ? (DATA.info[d.creator] ? nodeLink(d.creator) : d.creatorLabel) : "", "creator"],
        ["所属地区", d.locality ? (DATA.info[d.locality] ? nodeLink(d.locality) : d.localityLabel) : "", "locality"],
        ["实体", String(d.entities), "entities mentioned"], ["统计数据", String(d.statisticsCount), "statistics"],
      ].concat(d.attrs.map(function (a) { return [a[0], a[2], a[1]]; }))));
    } else {
      if (d.aliases.length) {
        var chips = h("ul", { className: "chips" });
        d.aliases.forEach(function (a) { chips.appendChild(h("li", { text: a })); });
        out = out.concat(section("别名", "Aliases", chips));
      }
      if (d.attrs.length) out = out.concat(section("属性", "Attributes",
        facts(d.attrs.map(function (a) { return [a[0], a[2], a[1]]; }))));
      if (d.reports.length) {
        var rl = h("ul", { className: "stats" });
        d.reports.forEach(function (r) { rl.appendChild(h("li", null, nodeLink(r))); });
        out = out.concat(section("见于报告", "Mentioned in", rl));
      }
      var ol = h("ol", { className: "sentences" });
      d.mentions.forEach(function (m) { ol.appendChild(sentenceItem(m[0], m[1])); });
      out = out.concat(section("出处句子 (" + (d.mentionsTotal ? d.mentions.length + " / " + d.mentionsTotal : d.mentions.length) + ")",
        d.mentionsTotal ? "Source sentences, the first " + d.mentions.length + " (--report shows a report's all)" : "Source sentences", ol));
    }
    if (d.rels.length) {
      var ul = h("ul", { className: "rels" });
      d.rels.forEach(function (r) { ul.appendChild(relItem(id, r)); });
      out = out.concat(section("关系 (" + d.rels.length + ")", "Relations", ul));
    }
    if (d.stats.length) out = out.concat(section("统计数据 (" + d.stats.length + ")", "Statistics", statList(d.stats)));
    add(body, out);
    panel.hidden = false;
    panel.scrollTop = 0;
  }

  function renderEdgePanel(eid) {
    var e = edges.get(eid);
    if (!e) return;
    var iri = predIri(e.pred);
    var pred = DATA.preds[e.pred] || [iri, iri];
    clear(body);
    var src = DATA.info[e.from];
    var rel = null;
    (src ? src.rels : []).forEach(function (r) { if (!rel && r.dir === "out" && r.p === iri && r.other === e.to) rel = r; });
    var out = [h("span", { className: "badge", text: "关系", title: "relation", style: { background: "#57606a" } }),
               h("h2", { text: pred[0] + " · " + pred[1] }), h("div", { className: "iri", text: iri }),
               h("p", null, [nodeLink(e.from), h("span", { className: "pred", text: pred[0] }), "→ ", nodeLink(e.to)])];
    if (rel && rel.ev.length) {
      var ol = h("ol", { className: "sentences" });
      rel.ev.forEach(function (ev) { ol.appendChild(sentenceItem(ev[0], ev[1])); });
      out = out.concat(section("依据句子", "Evidence", ol));
    }
    add(body, out);
    panel.hidden = false;
  }

  function setHash(id) {
    try {
      history.replaceState(null, "", id ? "#focus=" + encodeURIComponent(id) : location.pathname + location.search);
    } catch (err) { /* some file: URLs refuse; the view works without it */ }
  }

  function select(id, opts) {
    opts = opts || {};
    if (!drawn(id) || !ensureVisible(id)) {
      updateStatus("未找到节点 " + id + "(可能被 --max-nodes 或 --types 省略)");
      return false;
    }
    state.selected = id;
    network.selectNodes([id]);
    highlight(id);
    renderPanel(id);
    if (opts.focus) {
      network.focus(id, {
        scale: Math.max(network.getScale(), 1.0),
        offset: { x: panel.hidden ? 0 : -Math.min(panel.offsetWidth, container.offsetWidth / 2) / 2, y: 0 },
        animation: opts.animate === false ? false : { duration: 450, easingFunction: "easeInOutQuad" },
      });
    }
    if (opts.hash !== false) setHash(id);
    return true;
  }
  api.select = select;

  function clearSelection() {
    state.selected = null;
    unhighlight();
    network.unselectAll();
    panel.hidden = true;
    setHash(null);
  }
  api.clearSelection = clearSelection;

  network.on("click", function (p) {
    if (p.nodes.length) select(p.nodes[0], { focus: false });
    else if (p.edges.length) { unhighlight(); state.selected = null; renderEdgePanel(p.edges[0]); }
    else clearSelection();
  });

  function focusFromUrl() {
    var m = /[#&?]focus=([^&]*)/.exec(location.hash) || /[?&]focus=([^&]*)/.exec(location.search);
    if (!m) return false;
    var raw = m[1], decoded = raw;
    try { decoded = decodeURIComponent(raw); } catch (err) { /* keep it raw */ }
    var id = drawn(decoded) ? decoded : drawn(raw) ? raw : null;
    if (!id) {
      updateStatus("未找到节点 " + decoded + "(可能被 --max-nodes 或 --types 省略)");
      return false;
    }
    return select(id, { focus: true, animate: false, hash: false });
  }
  window.addEventListener("hashchange", function () { if (api.ready) focusFromUrl(); });

  // -- search -----------------------------------------------------------------------------
  function norm(s) { return String(s).toLowerCase().replace(/[\s《》〈〉<>“”"'‘’「」()()【】\[\]·•]/g, ""); }
  var index = DATA.nodes.map(function (n) {
    var names = DATA.names[n.id];
    var keys = names.map(function (k) { return [k, norm(k)]; });
    return { id: n.id, label: names[0], type: n.kind, keys: keys };
  });
  function search(q) {
    var nq = norm(q);
    if (!nq) return [];
    var hits = [];
    index.forEach(function (it) {
      var best = null;
      it.keys.forEach(function (k) {
        var i = k[1].indexOf(nq);
        if (i < 0) return;
        var rank = k[1] === nq ? 0 : i === 0 ? 1 : 2;
        if (!best || rank < best.rank || (rank === best.rank && k[0] === it.label)) best = { rank: rank, via: k[0] };
      });
      if (best) hits.push({ id: it.id, label: it.label, type: it.type, rank: best.rank,
                            via: best.via === it.label ? null : best.via, deg: degree.get(it.id) || 0 });
    });
    hits.sort(function (a, b) {
      return a.rank - b.rank || b.deg - a.deg || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
    });
    return hits;
  }
  api.search = search;

  var input = document.getElementById("search");
  var results = document.getElementById("search-results");
  var hits = [], active = -1;
  var MAX_SHOWN = 30;
  function showResults() {
    clear(results);
    if (!input.value.trim()) { results.hidden = true; input.setAttribute("aria-expanded", "false"); return; }
    if (!hits.length) {
      results.appendChild(h("li", { className: "empty", text: "无匹配 No match" }));
    }
    hits.slice(0, MAX_SHOWN).forEach(function (hit, i) {
      var li = h("li", { role: "option", dataset: { id: hit.id } }, [
        badge(hit.type), h("span", { text: hit.label }),
        hit.via ? h("span", { className: "alias", text: "别名 " + hit.via }) : null,
      ]);
      li.setAttribute("aria-selected", i === active ? "true" : "false");
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(i); });
      results.appendChild(li);
    });
    if (hits.length > MAX_SHOWN) results.appendChild(h("li", { className: "empty", text: "还有 " + (hits.length - MAX_SHOWN) + " 项…" }));
    results.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }
  function pick(i) {
    var hit = hits[i];
    if (!hit) return;
    results.hidden = true;
    input.setAttribute("aria-expanded", "false");
    select(hit.id, { focus: true });
  }
  input.addEventListener("input", function () { hits = search(input.value); active = hits.length ? 0 : -1; showResults(); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!hits.length) return;
      ev.preventDefault();
      var n = Math.min(hits.length, MAX_SHOWN);
      active = (active + (ev.key === "ArrowDown" ? 1 : n - 1)) % n;
      showResults();
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      pick(active >= 0 ? active : 0);
    } else if (ev.key === "Escape") {
      results.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }
  });
  input.addEventListener("blur", function () { results.hidden = true; });
  input.addEventListener("focus", function () { if (input.value.trim()) showResults(); });
  document.addEventListener("keydown", function (ev) {
    var typing = ev.target && (ev.target.tagName === "INPUT" || ev.target.tagName === "SELECT");
    if (ev.key === "/" && !typing) { ev.preventDefault(); input.focus(); input.select(); }
    else if (ev.key === "Escape" && !typing) clearSelection();
  });
})();
