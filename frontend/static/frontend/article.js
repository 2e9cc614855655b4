// The article page: uploads, live assessment status, ranked review, crops and the cover choice.
import { apiFetch, apiFetchAll } from "./api.js";
import {
  chosenCandidateId, coverByRatio, coverSummary, describeChange, fromApi, historyLine, undoableChange,
} from "./candidates.js";
import { CropEditor, renderCropPreviews } from "./crops.js";
import { FeedPreview } from "./feed.js";
import { PhotoTextForm } from "./photo_text.js";
import { ReviewList } from "./review.js";
import { SubjectMarker } from "./subject.js";
import { initUploads, initUrlUpload } from "./upload.js";

const POLL_INTERVAL_MS = 1500;
const IDLE_POLL_MS = Number(document.getElementById("candidates").dataset.idlePollMs) || 20000;
const api = JSON.parse(document.getElementById("article-api").textContent);
const liveStatus = document.getElementById("live-status");
const PAGE_TITLE = document.title;

const state = {
  candidates: [], chosenId: null, covers: {}, slotWidths: {}, coverSummary: "", history: [], filenames: new Map(), slotRatios: [], selectedId: null, pollTimer: null, loading: false, refreshAgain: false,
};

function announce(message) {
  liveStatus.textContent = message;
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => encodeURIComponent(values[key]));
}

function pending() {
  return state.candidates.some((c) => c.status === "queued" || c.status === "running");
}

function suggestedId() {
  const top = state.candidates.find((c) => c.status === "done" && c.rank === 1);
  return top ? top.id : null;
}

function summary() {
  const count = (status) => state.candidates.filter((c) => c.status === status).length;
  const waiting = count("queued") + count("running");
  if (!state.candidates.length) return "Upload candidate images to start.";
  if (waiting) return `Assessing: ${count("done")} done, ${waiting} waiting, ${count("failed")} failed.`;
  const failed = count("failed") ? `, ${count("failed")} failed` : "";
  if (state.candidates.length === 1) {
    return failed ? "The candidate could not be assessed." : "The candidate is assessed.";
  }
  return `All ${state.candidates.length} candidates assessed${failed}.`;
}

const review = new ReviewList(
  document.getElementById("candidates"),
  document.getElementById("candidate-template"),
  {
    onChoose: chooseCover,
    onShowCrops: (id) => { state.selectedId = id; renderCrops(true); },
    onRemove: removeCandidate,
    onRetry: retryCandidate,
    articlePage: api.article_page,
  },
);

const feed = new FeedPreview(document.getElementById("feed-section"),
  document.getElementById("feed-template"), { onUse: chooseSlotCover });

const editor = new CropEditor(document.getElementById("crop-editor"), {
  onSave: saveCrop,
  onReset: resetCrop,
});

const subject = new SubjectMarker(document.getElementById("subject"), {
  onMark: markSubject,
  onClear: clearSubject,
});

const photoText = new PhotoTextForm(document.getElementById("photo-text"), { onSave: saveTexts });

function renderCrops(focus = false) {
  const section = document.getElementById("crops-section");
  const id = state.selectedId ?? state.chosenId ?? suggestedId();
  const candidate = state.candidates.find((c) => c.id === id && c.status === "done");
  section.hidden = !candidate || !candidate.crops.length;
  if (section.hidden) return;
  document.getElementById("crops-heading").textContent = `Crops of ${candidate.filename}`;
  subject.render(candidate);
  photoText.render(candidate);
  renderCropPreviews(document.getElementById("crops"), document.getElementById("crop-template"), candidate, {
    onEdit: (c, crop, slotWidth) => editor.open(c, crop, slotWidth),
    onReset: resetCrop,
    slotWidths: state.slotWidths,
  });
  if (focus) {
    section.scrollIntoView({ block: "start" });
    section.querySelector("button.edit-crop")?.focus();
  }
}

function render() {
  document.getElementById("review-empty").hidden = state.candidates.length > 0;
  renderCoverBar();
  review.render(state.candidates, {
    suggestedId: suggestedId(), covers: state.covers, slotCount: state.slotRatios.length,
  });
  feed.render(state.candidates, { covers: state.covers });
  renderCrops();
  document.body.dataset.pending = String(pending());
  document.title = progressTitle();
}

/** While candidates are assessed the tab says how far it got ("(1/3 assessed) Storm · CoverApp"),
 * so an editor working in another tab sees when the ranking is ready. */
function progressTitle() {
  if (!pending()) return PAGE_TITLE;
  const finished = state.candidates.filter((c) => c.status === "done" || c.status === "failed").length;
  return `(${finished}/${state.candidates.length} assessed) ${PAGE_TITLE}`;
}

/** Who chose the cover, the undo of the latest change ("Undo: lois chose quay.jpg (16:9)") and
 * the cover's history. */
function renderCoverBar() {
  const summary = document.getElementById("cover-summary");
  summary.textContent = state.coverSummary;
  summary.hidden = !state.coverSummary;
  const undoable = undoableChange(state.history);
  const undo = document.getElementById("cover-undo");
  undo.hidden = !undoable;
  if (undoable) undo.textContent = `Undo: ${describeChange(undoable, state.filenames, state.slotRatios)}`;
  const list = document.querySelector("#cover-history ol");
  list.replaceChildren(...state.history.map((change) => {
    const item = document.createElement("li");
    item.textContent = historyLine(change, state.filenames, state.slotRatios);
    return item;
  }));
  document.getElementById("cover-download").hidden = !state.coverSummary;
  document.getElementById("cover-bar").hidden = !state.coverSummary && !state.history.length;
}

/** Reads the article and its candidates again; `quiet` (an idle poll) leaves the live region
 * alone unless the refresh fails, so a screen reader does not repeat the summary. */
async function refresh({ quiet = false } = {}) {
  if (state.loading) {
    state.refreshAgain = true; // e.g. an upload finished mid-request: its candidate must show
    return;
  }
  state.loading = true;
  state.refreshAgain = false;
  try {
    const [article, candidates, history] = await Promise.all(
      [apiFetch(api.article), apiFetchAll(api.ranked), apiFetch(api.cover_history)]);
    state.candidates = candidates.map(fromApi);
    state.filenames = new Map(state.candidates.map((c) => [c.id, c.filename]));
    state.history = history.results;
    state.chosenId = chosenCandidateId(article);
    state.covers = coverByRatio(article);
    state.slotRatios = article.slot_ratios;
    state.slotWidths = article.slot_widths;
    state.coverSummary = coverSummary(article, state.filenames);
    feed.setArticle(article);
    render();
    if (!quiet) announce(summary());
  } catch (error) {
    announce(`Could not refresh: ${error.message}`);
  } finally {
    state.loading = false;
  }
  if (state.refreshAgain) await refresh();
  else schedule();
}

/** Polls fast while an assessment is pending; otherwise slowly while the tab is visible, so what
 * another editor changes (the cover, a crop, an upload) shows here too. */
function schedule() {
  clearTimeout(state.pollTimer);
  if (pending()) state.pollTimer = setTimeout(refresh, POLL_INTERVAL_MS);
  else if (!document.hidden) state.pollTimer = setTimeout(() => refresh({ quiet: true }), IDLE_POLL_MS);
}

document.addEventListener("visibilitychange", () => {
  if (!document.hidden) refresh({ quiet: true });
});

/** Runs one editor action against the API, refreshes, then says how it went. */
async function act(request, success, failure) {
  let message = success;
  try {
    await request();
  } catch (error) {
    message = `${failure}: ${error.message}`;
  }
  await refresh();
  announce(message);
}

/** A reminder when the new cover has no alt text: the CMS would publish it undescribed. */
function altTextReminder(candidateId) {
  const { altText } = state.candidates.find((c) => c.id === candidateId);
  return altText ? "" : " It has no alt text yet: add it under Credit and alt text.";
}

function chooseCover(candidateId) {
  state.selectedId = candidateId;
  return act(() => apiFetch(api.choose, { method: "POST", json: { candidate: candidateId } }),
    `Cover chosen.${altTextReminder(candidateId)}`, "The cover was not chosen");
}

function chooseSlotCover(candidateId, ratio) {
  const { filename } = state.candidates.find((c) => c.id === candidateId);
  return act(() => apiFetch(api.choose, { method: "POST", json: { candidate: candidateId, ratios: [ratio] } }),
    `${filename} is the ${ratio} cover.${altTextReminder(candidateId)}`, `The ${ratio} cover was not chosen`);
}

function undoCoverChange() {
  const undoable = undoableChange(state.history);
  return act(() => apiFetch(api.cover_undo, { method: "POST" }),
    `Undone: ${describeChange(undoable, state.filenames, state.slotRatios)}.`,
    "The cover change was not undone");
}

document.getElementById("cover-undo").addEventListener("click", undoCoverChange);

function removeCandidate(candidateId) {
  const { filename } = state.candidates.find((c) => c.id === candidateId);
  if (!window.confirm(`Remove ${filename}? Its assessment and crops go with it.`)) return undefined;
  if (state.selectedId === candidateId) state.selectedId = null;
  return act(() => apiFetch(fill(api.candidate, { candidate: candidateId }), { method: "DELETE" }),
    `${filename} removed.`, `${filename} was not removed`);
}

function retryCandidate(candidateId) {
  const { filename } = state.candidates.find((c) => c.id === candidateId);
  return act(() => apiFetch(fill(api.retry, { candidate: candidateId }), { method: "POST" }),
    `${filename} queued again.`, `${filename} was not queued again`);
}

function saveCrop(candidate, crop, box) {
  const url = fill(api.crop, { candidate: candidate.id });
  return act(() => apiFetch(url, { method: "POST", json: { ratio: crop.ratio, box } }),
    `${crop.ratio} crop saved.`, `The ${crop.ratio} crop was not saved`);
}

function resetCrop(candidate, crop) {
  const url = `${fill(api.crop, { candidate: candidate.id })}?ratio=${encodeURIComponent(crop.ratio)}`;
  return act(() => apiFetch(url, { method: "DELETE" }),
    `${crop.ratio} crop reset to the proposal.`, `The ${crop.ratio} crop was not reset`);
}

function saveTexts(candidateId, texts) {
  const { filename } = state.candidates.find((c) => c.id === candidateId);
  const url = fill(api.candidate, { candidate: candidateId });
  return act(() => apiFetch(url, { method: "PATCH", json: texts }),
    `Credit and alt text of ${filename} saved.`, `The texts of ${filename} were not saved`);
}

function markSubject(candidate, point) {
  const url = fill(api.focus, { candidate: candidate.id });
  return act(() => apiFetch(url, { method: "POST", json: { point } }),
    "Subject marked: the proposed crops frame it.", "The subject was not marked");
}

function clearSubject(candidate) {
  const url = fill(api.focus, { candidate: candidate.id });
  return act(() => apiFetch(url, { method: "DELETE" }),
    "Subject cleared: the proposed crops frame what the model found.", "The subject was not cleared");
}

initUploads(document.getElementById("dropzone"), {
  uploadUrl: api.upload,
  fieldName: api.upload_field,
  announce,
  onUploaded: () => refresh(),
});
initUrlUpload(document.getElementById("url-upload"), document.querySelector("#dropzone .uploads"), {
  urlsUrl: api.upload_urls,
  announce,
  onUploaded: () => refresh(),
});
refresh().then(() => { document.body.dataset.ready = "true"; });
