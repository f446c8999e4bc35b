// The preview page's script: the view switch, the chapter choice, and the
// live update. Each rebuild arrives as a server-sent event; a good build
// reloads the chapter (back at the same scroll position) and the PDF, a
// failed one shows its messages over the last good preview.
"use strict";
const chapter = document.getElementById("chapter");
const pdf = document.getElementById("pdf");
const select = document.getElementById("chapter-select");
const messages = document.getElementById("messages");
const state = document.getElementById("state");
let shown = Number(document.body.dataset.shown);
let keepScroll = null;

const saved = sessionStorage.getItem("qalam-view");
if (saved) document.body.dataset.view = saved;
for (const b of document.querySelectorAll("[data-view]")) {
  if (b.tagName !== "BUTTON") continue;
  b.addEventListener("click", () => {
    document.body.dataset.view = b.dataset.view;
    sessionStorage.setItem("qalam-view", b.dataset.view);
  });
}

const savedChapter = sessionStorage.getItem("qalam-chapter");
if (savedChapter && [...select.options].some((o) => o.value === savedChapter)) {
  select.value = savedChapter;
  chapter.src = "/epub/" + savedChapter;
}
select.addEventListener("change", () => {
  sessionStorage.setItem("qalam-chapter", select.value);
  keepScroll = null;
  chapter.src = "/epub/" + select.value;
});

// The print page numbers of the page list, drawn by a style sheet of the
// preview's own added to the EPUB's chapter. The chapter may have loaded
// before this script ran, so it is also looked at now and then.
function decorate() {
  const doc = chapter.contentDocument;
  if (!doc || !doc.head || doc.URL === "about:blank") return;
  if (doc.querySelector('link[href="/_/pages.css"]')) {
    restoreScroll();
    return;
  }
  const link = doc.createElementNS("http://www.w3.org/1999/xhtml", "link");
  link.setAttribute("rel", "stylesheet");
  link.setAttribute("href", "/_/pages.css");
  // The markers it draws take room: the place is found again after.
  link.addEventListener("load", restoreScroll);
  link.addEventListener("error", restoreScroll);
  doc.head.appendChild(link);
}
chapter.addEventListener("load", decorate);
setInterval(decorate, 500);
decorate();

// Back to the place kept before a reload, once the fonts are in.
function restoreScroll() {
  // Until the reloaded document is in, the old one is still there.
  if (keepScroll === null || chapter.contentDocument === keepScroll.doc) return;
  const place = keepScroll;
  keepScroll = null;
  const doc = chapter.contentDocument;
  const win = chapter.contentWindow;
  doc.fonts.ready.then(() => {
    const anchor = place.id && doc.getElementById(place.id);
    const y = anchor
      ? anchor.getBoundingClientRect().top + win.scrollY - place.top
      : place.y;
    win.scrollTo(0, y);
  });
}

// Where the reader is: the first element with an id at or below the top
// of the view, and how far down; an edit above it that adds or removes a
// line then does not move what is read.
function scrollPlace() {
  const doc = chapter.contentDocument;
  const win = chapter.contentWindow;
  if (!doc || !win) return null;
  for (const el of doc.querySelectorAll("body [id]")) {
    const top = el.getBoundingClientRect().top;
    if (top >= 0) return { doc, id: el.id, top, y: win.scrollY };
  }
  return { doc, id: null, top: 0, y: win.scrollY };
}
chapter.addEventListener("load", decorate);
if (chapter.contentDocument && chapter.contentDocument.readyState === "complete") decorate();

function showStatus(s) {
  state.textContent = s.generation === 0 ? "building…"
    : `${s.ok ? "built" : "not built"} · ${s.errors} error(s), ${s.warnings} warning(s) · ${Math.round(s.took_ms)} ms`;
  state.className = s.ok ? "ok" : "failed";
  messages.className = s.ok ? "ok" : "failed";
  messages.querySelector("pre").textContent = s.messages;
  messages.hidden = s.messages === "";
}

// The EPUB document of a saved chapter file (`text/<name>.xhtml` for
// `<name>.md`) when it is not the one shown (nor one made from the same
// file, as its bio page); null otherwise.
function editedChapter(changed) {
  for (const path of changed || []) {
    const m = /([^/\\]+)\.md$/.exec(path);
    if (!m) continue;
    if (select.value.includes("/text/" + m[1] + ".")) return null;
    const doc = [...select.options].find((o) => o.value.endsWith("/text/" + m[1] + ".xhtml"));
    if (doc) return doc.value;
  }
  return null;
}

// The PDF's pages of build `build`; the pane keeps its scroll position, as
// the pictures keep their sizes.
function showPages(pages, build) {
  const y = pdf.scrollTop;
  pdf.replaceChildren(...pages.map((p, i) => {
    const img = document.createElement("img");
    img.src = `/pdf/${i + 1}.png?build=${build}`;
    img.width = p.width;
    img.height = p.height;
    img.loading = "lazy";
    img.alt = `PDF page ${i + 1}`;
    img.dataset.number = p.number === null ? "" : String(p.number);
    return img;
  }));
  pdf.scrollTop = y;
}

// The PDF follows the chapter: the print page being read (the last page
// marker above the middle of the chapter's view, or the first below) is
// brought to the top of the PDF pane whenever it changes.
let followed = null;
function followChapter() {
  const doc = chapter.contentDocument;
  if (!doc || !chapter.contentWindow) return;
  const middle = chapter.contentWindow.innerHeight / 2;
  let number = null;
  for (const m of doc.querySelectorAll('[role="doc-pagebreak"]')) {
    if (number !== null && m.getBoundingClientRect().top > middle) break;
    number = m.getAttribute("aria-label");
  }
  if (number === null || number === followed) return;
  const img = pdf.querySelector(`img[data-number="${CSS.escape(number)}"]`);
  if (!img) return;
  followed = number;
  pdf.scrollTop = img.offsetTop;
}
let followPending = false;
function scheduleFollow() {
  if (followPending) return;
  followPending = true;
  requestAnimationFrame(() => {
    followPending = false;
    followChapter();
  });
}
chapter.addEventListener("load", () => {
  followed = null;
  chapter.contentWindow.addEventListener("scroll", scheduleFollow);
  scheduleFollow();
});
if (chapter.contentWindow) chapter.contentWindow.addEventListener("scroll", scheduleFollow);

const events = new EventSource("/_/events");
events.addEventListener("build", (e) => {
  const s = JSON.parse(e.data);
  showStatus(s);
  if (shown === 0 && s.shown !== 0) {
    // The page was made before the first build: it has no chapter list.
    location.reload();
  } else if (s.shown !== shown) {
    shown = s.shown;
    const edited = editedChapter(s.changed);
    if (edited) {
      // Another chapter's file was saved: show that one, from its top.
      select.value = edited;
      sessionStorage.setItem("qalam-chapter", edited);
      keepScroll = null;
      chapter.src = "/epub/" + edited;
    } else {
      keepScroll = scrollPlace();
      chapter.contentWindow.location.reload();
    }
    showPages(s.pages, s.shown);
  }
});
