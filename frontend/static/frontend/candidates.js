// The one place that knows the API's candidate shape (coverapp.covers.api.serializers).

/** Flattens an API candidate (assessment nested) into what the review and crop views read. */
export function fromApi(candidate) {
  const assessment = candidate.assessment ?? {};
  return {
    id: candidate.id,
    filename: candidate.original_name || `candidate ${candidate.id}`,
    imageUrl: candidate.display_url ?? candidate.image_url,
    width: candidate.width,
    height: candidate.height,
    nearDuplicateOf: candidate.near_duplicate_of,
    earlierCovers: candidate.earlier_covers ?? [],
    status: assessment.status ?? "queued",
    error: assessment.error ?? "",
    clarity: assessment.clarity ?? null,
    detailScale: assessment.detail_scale ?? 1,
    coverScore: assessment.cover_score ?? null,
    rank: assessment.rank ?? null,
    reasons: assessment.reasons ?? [],
    maskUrl: assessment.mask_url ?? null,
    faces: assessment.faces ?? [],
    contentBox: assessment.content_box ?? null,
    panels: assessment.panels ?? [],
    overlays: assessment.overlays ?? [],
    crops: candidate.crops ?? [],
    focus: candidate.focus ?? null,
    focalPoint: candidate.focal_point ?? null,
    credit: candidate.credit ?? "",
    caption: candidate.caption ?? "",
    altText: candidate.alt_text ?? "",
  };
}

/** The candidate chosen as cover (the API stores one choice per slot ratio), or null. */
export function chosenCandidateId(article) {
  const choices = article.cover ?? [];
  return choices.length ? choices[0].candidate : null;
}

const WHEN = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

/**
 * Who chose the cover and when, in words: "Cover: quay.jpg (16:9, 1:1), chosen by lois on 4 Dec,
 * 10:42." (the latest choice of any slot); "" before a cover is chosen. `filenames`: id -> name.
 */
export function coverSummary(article, filenames) {
  const order = (choice) => article.slot_ratios.indexOf(choice.ratio);
  const choices = [...(article.cover ?? [])].sort((a, b) => order(a) - order(b)); // the slots' order
  if (!choices.length) return "";
  const slots = new Map();
  for (const choice of choices) slots.set(choice.candidate, [...(slots.get(choice.candidate) ?? []), choice.ratio]);
  const which = [...slots].map(([id, ratios]) => `${filenames.get(id) ?? `candidate ${id}`} (${ratios.join(", ")})`);
  const latest = choices.reduce((a, b) => (a.chosen_at > b.chosen_at ? a : b));
  const by = latest.chosen_by ? ` by ${latest.chosen_by}` : "";
  return `Cover: ${which.join("; ")}, chosen${by} on ${WHEN.format(new Date(latest.chosen_at))}.`;
}

/** Slot ratio -> id of the candidate chosen for that slot (slots may show different ones). */
export function coverByRatio(article) {
  return Object.fromEntries((article.cover ?? []).map((choice) => [choice.ratio, choice.candidate]));
}

/** The slot ratios of a cover change's slot map in the article's slot order (the database keeps
 * no key order), ratios the article no longer has last. */
function inSlotOrder(slots, slotOrder) {
  const place = (ratio) => (slotOrder.includes(ratio) ? slotOrder.indexOf(ratio) : slotOrder.length);
  return Object.keys(slots).sort((a, b) => place(a) - place(b) || a.localeCompare(b));
}

/** A slot map of a cover change ({"16:9": 12, "1:1": null}) in words: "quay.jpg (16:9, 1:1)",
 * "no cover (1:1)". */
function slotsInWords(slots, filenames, slotOrder) {
  const groups = new Map();
  for (const ratio of inSlotOrder(slots, slotOrder)) {
    groups.set(slots[ratio], [...(groups.get(slots[ratio]) ?? []), ratio]);
  }
  const name = (id) => (id === null ? "no cover" : filenames.get(id) ?? `candidate ${id}`);
  return [...groups].map(([id, ratios]) => `${name(id)} (${ratios.join(", ")})`).join(", ");
}

/** One cover change (the API's cover-history entry) in words: "lois chose quay.jpg (16:9, 1:1)";
 * `slotOrder`: the article's slot ratios. */
export function describeChange(change, filenames, slotOrder = []) {
  const who = change.changed_by ?? "someone";
  if (change.action === "cleared") {
    return `${who} cleared the cover of ${inSlotOrder(change.before, slotOrder).join(", ")}`;
  }
  if (change.action === "undone") {
    return `${who} undid a change, back to ${slotsInWords(change.after, filenames, slotOrder)}`;
  }
  return `${who} chose ${slotsInWords(change.after, filenames, slotOrder)}`;
}

/** A history line: "4 Dec, 10:42 · lois chose quay.jpg (16:9, 1:1) (undone)". */
export function historyLine(change, filenames, slotOrder = []) {
  const undone = change.undone ? " (undone)" : "";
  return `${WHEN.format(new Date(change.changed_at))} · ${describeChange(change, filenames, slotOrder)}${undone}`;
}

/** The change undo would revert (the latest choice or clearing not undone yet), or null. */
export function undoableChange(history) {
  return history.find((change) => change.action !== "undone" && !change.undone) ?? null;
}
