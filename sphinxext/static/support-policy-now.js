/* support-policy: who is on duty now, from the rotation published with the handbook.
 *
 * The page is fixed at build time; this script reads _static/support-policy/rotation.json
 * (written by the same build), writes "On duty now: ..." into each placeholder, marks
 * today's row of the tenure table and today's bars in the timeline, and links the
 * calendar feed. Data is only ever written with textContent; every loop is bounded.
 */
(function () {
  "use strict";
  var MAX_ITEMS = 5000;
  var script = document.currentScript;
  var base = script && script.src ? new URL("support-policy/", script.src) : null;
  var ISO = /^\d{4}-\d{2}-\d{2}$/;

  function todayIn(zone) {
    try {
      var parts = new Intl.DateTimeFormat("en-CA", {
        timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit"
      }).formatToParts(new Date());
      var found = {};
      for (var i = 0; i < parts.length && i < 10; i++) found[parts[i].type] = parts[i].value;
      return found.year + "-" + found.month + "-" + found.day;
    } catch (error) {
      return new Date().toISOString().slice(0, 10);
    }
  }

  function days(iso) {
    return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86400000;
  }

  function crewOn(rotation, today) {
    var crews = Array.isArray(rotation.crews) ? rotation.crews : [];
    for (var i = 0; i < crews.length && i < MAX_ITEMS; i++) {
      if (crews[i].from <= today && today <= crews[i].to) return crews[i].on_duty;
    }
    return null;
  }

  // The rotation a line shows, by its id; null: the line shows every rotation.
  function wantedId(line) {
    for (var i = 0; i < line.classList.length && i < 100; i++) {
      var match = /^support-rotation-id-(.+)$/.exec(line.classList[i]);
      if (match) return match[1];
    }
    return null;
  }

  function fill(line, data, today) {
    var rotations = Array.isArray(data.rotations) ? data.rotations : [];
    var wanted = wantedId(line), chosen = [];
    for (var r = 0; r < rotations.length && r < 100; r++) {
      if (wanted === null || rotations[r].id === wanted) chosen.push(rotations[r]);
    }
    var texts = [];
    for (var i = 0; i < chosen.length; i++) {
      var crew = crewOn(chosen[i], today);
      var who = crew === null ? "not in the published schedule (" + chosen[i].from + " to " +
        chosen[i].to + ")" : crew.length ? crew.join(", ") : "nobody";
      texts.push(chosen.length > 1 ? chosen[i].name + ": " + who : who);
    }
    while (line.firstChild) line.removeChild(line.firstChild);
    var label = document.createElement("strong");
    label.textContent = "On duty now:";
    line.appendChild(label);
    line.appendChild(document.createTextNode(" " + texts.join("; ") + " (" + today + "). "));
    var link = document.createElement("a");
    link.className = "support-rotation-subscribe";
    link.href = new URL(String(data.calendar || "rotation.ics"), base).href;
    link.type = "text/calendar";
    link.textContent = "Subscribe to the rotation calendar";
    line.appendChild(link);
    line.classList.add("support-rotation-now-filled");
  }

  function markRows(scope, today) {
    var rows = scope.querySelectorAll("table.support-rotation-tenures tbody tr");
    for (var i = 0; i < rows.length && i < MAX_ITEMS; i++) {
      var cells = rows[i].querySelectorAll("td");
      if (cells.length < 3) continue;
      var from = cells[1].textContent.trim(), to = cells[2].textContent.trim();
      if (ISO.test(from) && ISO.test(to) && from <= today && today <= to) {
        rows[i].classList.add("support-now");
      }
    }
  }

  function markPicture(scope, today) {
    var pictures = scope.querySelectorAll("svg.sp-tl");
    for (var i = 0; i < pictures.length && i < 100; i++) {
      var svg = pictures[i];
      var first = svg.getAttribute("data-first") || "", last = svg.getAttribute("data-last") || "";
      if (!ISO.test(first) || !ISO.test(last) || today < first || today > last) continue;
      var x = +svg.getAttribute("data-x0") + (days(today) - days(first) + 0.5) * +svg.getAttribute("data-day");
      var line = svg.querySelector(".sp-tl-today");
      if (line && isFinite(x)) {
        line.setAttribute("x1", String(x));
        line.setAttribute("x2", String(x));
        line.setAttribute("visibility", "visible");
      }
      var bars = svg.querySelectorAll("rect[data-from]");
      for (var j = 0; j < bars.length && j < MAX_ITEMS; j++) {
        var from = bars[j].getAttribute("data-from"), to = bars[j].getAttribute("data-to");
        if (from <= today && today <= to) bars[j].classList.add("sp-tl-now");
      }
    }
  }

  function run() {
    var lines = document.querySelectorAll("p.support-rotation-now");
    if (!lines.length || !base || !window.fetch) return;
    fetch(new URL("rotation.json", base).href).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (!data || !Array.isArray(data.rotations) || !data.rotations.length) return;
      var today = todayIn(String(data.rotations[0].timezone || "UTC"));
      for (var i = 0; i < lines.length && i < 100; i++) {
        fill(lines[i], data, today);
        var scope = lines[i].closest(".support-rotation") || document;
        markRows(scope, today);
        markPicture(scope, today);
      }
    }).catch(function () { /* the page without "now" is still complete */ });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
