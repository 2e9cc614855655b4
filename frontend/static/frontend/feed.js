// "In the feed": every assessed candidate as readers will see it, its crop for one slot beside
// the article's title, best first. In a news feed only the title and the cover show.
import { showBox } from "./crops.js";

export class FeedPreview {
  /** `onUse(candidateId, ratio)` makes a candidate the cover of one slot. */
  constructor(section, template, { onUse }) {
    this.section = section;
    this.template = template;
    this.onUse = onUse;
    this.title = "";
    this.list = section.querySelector(".feed");
    this.select = section.querySelector("select");
    this.candidates = [];
    this.covers = {};
    this.select.addEventListener("change", () => this.render(this.candidates, { covers: this.covers, force: true }));
  }

  /** Takes the article's title and slot ratios (the picker keeps its choice while it can). */
  setArticle({ title, slot_ratios: ratios }) {
    this.title = title;
    const options = [...this.select.options].map((option) => option.value);
    if (JSON.stringify(options) === JSON.stringify(ratios)) return;
    const chosen = ratios.includes(this.select.value) ? this.select.value : ratios[0];
    this.select.replaceChildren(...ratios.map((ratio) => new Option(ratio, ratio)));
    this.select.value = chosen ?? "";
  }

  /** `covers`: slot ratio -> id of the candidate chosen for it. */
  render(candidates, { covers = {}, force = false } = {}) {
    this.candidates = candidates;
    this.covers = covers;
    const ratio = this.select.value;
    const shown = candidates
      .filter((c) => c.status === "done")
      .map((c) => ({ candidate: c, crop: c.crops.find((crop) => crop.ratio === ratio) }))
      .filter(({ crop }) => crop);
    this.section.hidden = shown.length === 0;
    const chosenId = covers[ratio] ?? null;
    const key = JSON.stringify([ratio, chosenId, this.title, shown.map(({ candidate, crop }) => [candidate.id, crop.box])]);
    if (!force && this.list.dataset.key === key) return;
    this.list.dataset.key = key;
    this.list.replaceChildren(...shown.map(({ candidate, crop }) => {
      const item = this.template.content.firstElementChild.cloneNode(true);
      item.dataset.candidateId = candidate.id;
      item.classList.toggle("chosen", candidate.id === chosenId);
      showBox(item.querySelector(".crop-window"), candidate.imageUrl, crop.box,
        [candidate.width, candidate.height], `${candidate.filename} as the ${ratio} cover`);
      item.querySelector(".feed-title").textContent = this.title;
      const rank = candidate.rank ? `#${candidate.rank} · ` : "";
      const chosen = candidate.id === chosenId;
      item.querySelector(".feed-meta").textContent = `${rank}${candidate.filename}${chosen ? ` · the ${ratio} cover` : ""}`;
      const use = item.querySelector("button.use-for-slot");
      use.hidden = chosen;
      use.textContent = `Use for ${ratio}`;
      use.setAttribute("aria-label", `Use ${candidate.filename} for the ${ratio} slot`);
      use.addEventListener("click", () => this.onUse(candidate.id, ratio));
      return item;
    }));
  }
}
