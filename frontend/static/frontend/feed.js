// "In the feed": every assessed candidate as readers will see it, its crop for one slot beside
// the article's title, best first. In a news feed only the title and the cover show.
import { showBox } from "./crops.js";

export class FeedPreview {
  constructor(section, template) {
    this.section = section;
    this.template = template;
    this.title = "";
    this.list = section.querySelector(".feed");
    this.select = section.querySelector("select");
    this.candidates = [];
    this.select.addEventListener("change", () => this.render(this.candidates, { force: true }));
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

  render(candidates, { chosenId = null, force = false } = {}) {
    this.candidates = candidates;
    const ratio = this.select.value;
    const shown = candidates
      .filter((c) => c.status === "done")
      .map((c) => ({ candidate: c, crop: c.crops.find((crop) => crop.ratio === ratio) }))
      .filter(({ crop }) => crop);
    this.section.hidden = shown.length === 0;
    const key = JSON.stringify([ratio, chosenId, shown.map(({ candidate, crop }) => [candidate.id, crop.box])]);
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
      item.querySelector(".feed-meta").textContent = `${rank}${candidate.filename}${candidate.id === chosenId ? " · chosen cover" : ""}`;
      return item;
    }));
  }
}
