// The ranked review: one card per candidate, updated in place on every poll so that the editor's
// toggles and keyboard focus survive.

const STATUS_TEXT = {
  queued: "Queued",
  running: "Assessing…",
  done: "Assessed",
  failed: "Failed",
};

function formatNumber(value, digits = 1) {
  return value === null || value === undefined ? "–" : Number(value).toFixed(digits);
}

function buildCard(template, candidate) {
  const card = template.content.firstElementChild.cloneNode(true);
  card.dataset.candidateId = candidate.id;
  const image = card.querySelector("img.photo");
  image.src = candidate.imageUrl;
  image.alt = `Candidate ${candidate.filename}`;
  const name = card.querySelector(".status-line");
  name.id = `candidate-name-${candidate.id}`;
  for (const button of card.querySelectorAll(".actions button")) button.setAttribute("aria-describedby", name.id);
  const maskToggle = card.querySelector("input.mask-toggle");
  maskToggle.id = `mask-toggle-${candidate.id}`;
  card.querySelector("label.toggle").htmlFor = maskToggle.id;
  maskToggle.addEventListener("change", () => {
    card.querySelector(".mask-overlay").hidden = !maskToggle.checked;
  });
  return card;
}

function renderReasons(list, reasons) {
  const text = reasons.join("\n");
  if (list.dataset.text === text) return;
  list.dataset.text = text;
  list.replaceChildren(...reasons.map((reason) => {
    const item = document.createElement("li");
    item.textContent = reason;
    return item;
  }));
}

/** The ranking names a near-duplicate's better twin by its id; the editor knows it by its file. */
function namedReasons(reasons, filenames) {
  return reasons.map((reason) => {
    const twin = /^near-duplicate of (\d+)$/.exec(reason);
    const name = twin && filenames.get(Number(twin[1]));
    return name ? `near-duplicate of ${name}, ranked below it` : reason;
  });
}

const DAY = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });

/** "Already the cover of “Storm hits the coast” (3 Dec).": each title links to its article. */
function renderEarlierCovers(card, earlier, articlePage) {
  const note = card.querySelector(".earlier-covers");
  const text = JSON.stringify(earlier);
  card.querySelector(".badge.used-before").hidden = !earlier.length;
  note.hidden = !earlier.length;
  if (note.dataset.text === text) return;
  note.dataset.text = text;
  const parts = earlier.flatMap((cover, index) => {
    const link = document.createElement("a");
    link.href = articlePage.replace("{article}", encodeURIComponent(cover.article));
    link.textContent = `“${cover.title}”`;
    const when = ` (${DAY.format(new Date(cover.chosen_at))})`;
    return [index ? ", " : "", link, when];
  });
  note.replaceChildren("Already the cover of ", ...parts, ".");
}

function updateCard(card, candidate, { suggestedId, covers, slotCount, filenames, duplicates, articlePage }) {
  const { status } = candidate;
  const done = status === "done";
  const badge = card.querySelector(".badge.status");
  badge.className = `badge status ${status}`;
  badge.textContent = STATUS_TEXT[status] ?? status;

  card.querySelector(".rank").textContent = done && candidate.rank ? `#${candidate.rank}` : candidate.filename;
  const statusLine = card.querySelector(".status-line");
  statusLine.classList.toggle("failed", status === "failed");
  statusLine.textContent = status === "failed"
    ? `Could not assess: ${candidate.error || "unknown error"}`
    : done ? candidate.filename : "Waiting for the assessment…";

  card.querySelector(".scores").hidden = !done;
  card.querySelector(".score").textContent = formatNumber(candidate.coverScore, 2);
  card.querySelector(".clarity").textContent = formatNumber(candidate.clarity, 1);
  renderReasons(card.querySelector(".reasons"), done ? namedReasons(candidate.reasons ?? [], filenames) : []);

  const overlay = card.querySelector(".mask-overlay");
  const toggleLabel = card.querySelector("label.toggle");
  toggleLabel.hidden = !candidate.maskUrl;
  if (candidate.maskUrl && overlay.dataset.url !== candidate.maskUrl) {
    overlay.dataset.url = candidate.maskUrl;
    overlay.style.maskImage = `url("${candidate.maskUrl}")`;
  }

  const twins = duplicates.get(candidate.id) ?? [];
  card.querySelector(".badge.duplicate").hidden = !twins.length;
  const note = card.querySelector(".duplicate-note");
  note.hidden = !twins.length;
  note.textContent = `Looks almost the same as ${twins.map((id) => filenames.get(id)).join(", ")}.`;

  renderEarlierCovers(card, candidate.earlierCovers, articlePage);

  const credit = card.querySelector(".credit");
  credit.hidden = !candidate.credit;
  credit.textContent = `Credit: ${candidate.credit}`;

  const isSuggested = candidate.id === suggestedId;
  const slots = Object.keys(covers).filter((ratio) => covers[ratio] === candidate.id);
  const isChosen = slots.length > 0;
  const everySlot = isChosen && slots.length === slotCount;
  card.classList.toggle("suggested", isSuggested);
  card.classList.toggle("chosen", isChosen);
  card.querySelector(".badge.suggested").hidden = !isSuggested;
  const coverBadge = card.querySelector(".badge.cover-chosen");
  coverBadge.hidden = !isChosen;
  coverBadge.textContent = everySlot ? "Cover" : `Cover for ${slots.join(", ")}`;
  // Any candidate can be removed, a failed one retried; the other actions need its assessment.
  for (const button of card.querySelectorAll(".actions button:not(.remove, .retry)")) button.disabled = !done;
  card.querySelector("button.retry").hidden = status !== "failed";
  const choose = card.querySelector("button.choose");
  choose.textContent = everySlot ? "Chosen cover" : "Choose as cover";
  choose.setAttribute("aria-pressed", String(everySlot));
}

/** Candidate id -> ids it is a near-duplicate of, in both directions (the API links one way). */
function nearDuplicatePairs(candidates) {
  const present = new Set(candidates.map((c) => c.id));
  const pairs = new Map();
  const link = (a, b) => pairs.set(a, [...(pairs.get(a) ?? []), b]);
  for (const candidate of candidates) {
    if (candidate.nearDuplicateOf && present.has(candidate.nearDuplicateOf)) {
      link(candidate.id, candidate.nearDuplicateOf);
      link(candidate.nearDuplicateOf, candidate.id);
    }
  }
  return pairs;
}

/** Order for display: assessed candidates by rank, then the ones still pending, then failures. */
export function displayOrder(candidates) {
  const weight = { done: 0, running: 1, queued: 1, failed: 2 };
  return [...candidates].sort((a, b) =>
    (weight[a.status] ?? 1) - (weight[b.status] ?? 1)
    || (a.rank ?? Infinity) - (b.rank ?? Infinity)
    || String(a.id).localeCompare(String(b.id)));
}

/** Keeps `list` (a <ol>) in sync with the API's candidates without rebuilding unchanged cards. */
export class ReviewList {
  constructor(list, template, { onChoose, onShowCrops, onRemove, onRetry, articlePage }) {
    this.list = list;
    this.articlePage = articlePage;
    this.template = template;
    this.cards = new Map();
    this.onChoose = onChoose;
    this.onShowCrops = onShowCrops;
    this.onRemove = onRemove;
    this.onRetry = onRetry;
  }

  /** `covers`: slot ratio -> chosen candidate id; `slotCount`: how many slots the article has. */
  render(candidates, { suggestedId, covers, slotCount }) {
    const filenames = new Map(candidates.map((c) => [c.id, c.filename]));
    const duplicates = nearDuplicatePairs(candidates);
    const ordered = displayOrder(candidates);
    for (const [id, card] of this.cards) {
      if (!filenames.has(id)) { // removed (here or by someone else)
        card.remove();
        this.cards.delete(id);
      }
    }
    ordered.forEach((candidate, index) => {
      let card = this.cards.get(candidate.id);
      if (!card) {
        card = buildCard(this.template, candidate);
        card.querySelector("button.choose").addEventListener("click", () => this.onChoose(candidate.id));
        card.querySelector("button.show-crops").addEventListener("click", () => this.onShowCrops(candidate.id));
        card.querySelector("button.remove").addEventListener("click", () => this.onRemove(candidate.id));
        card.querySelector("button.retry").addEventListener("click", () => this.onRetry(candidate.id));
        this.cards.set(candidate.id, card);
      }
      updateCard(card, candidate, {
        suggestedId, covers, slotCount, filenames, duplicates, articlePage: this.articlePage,
      });
      if (this.list.children[index] !== card) this.list.insertBefore(card, this.list.children[index] ?? null);
    });
  }
}
