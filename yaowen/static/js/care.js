// 朗读 (read aloud) on article pages, for readers who find long text hard to read. The button
// stays hidden where the browser has no speech synthesis, so nothing is offered that cannot work.
(() => {
  const BLOCKS = "h2, h3, h4, h5, h6, p, li, blockquote, figcaption, th, td";

  // The article as the reader sees it: the title, then each block of the body once (a list
  // item holding paragraphs is read through its paragraphs, not twice).
  function articleTexts(title, body) {
    const texts = [title.textContent.trim()];
    for (const block of body.querySelectorAll(BLOCKS)) {
      const outer = block.parentElement.closest(BLOCKS);
      if (outer && body.contains(outer)) continue;
      const text = block.textContent.trim();
      if (text) texts.push(text);
    }
    return texts.filter(Boolean);
  }

  function chineseVoice(synth) {
    const voices = synth.getVoices ? synth.getVoices() : [];
    return (
      voices.find((voice) => /^zh[-_]CN/i.test(voice.lang)) ||
      voices.find((voice) => /^zh/i.test(voice.lang)) ||
      null
    );
  }

  function setUp(button) {
    const synth = window.speechSynthesis;
    const title = document.querySelector(button.dataset.readTitle);
    const body = document.querySelector(button.dataset.readBody);
    if (!synth || !window.SpeechSynthesisUtterance || !title || !body) return;
    const startLabel = button.textContent;
    const stopLabel = button.dataset.stopLabel || "停止朗读";
    let speaking = false;
    let run = 0; // events of a cancelled reading must not reset a newer one

    const reset = () => {
      speaking = false;
      button.textContent = startLabel;
    };

    button.hidden = false;
    button.addEventListener("click", () => {
      if (speaking) {
        run += 1;
        synth.cancel();
        reset();
        return;
      }
      synth.cancel();
      const voice = chineseVoice(synth);
      const texts = articleTexts(title, body);
      // One utterance per block: Chromium stops long single utterances after ~15 s.
      const current = ++run;
      const finish = () => {
        if (current === run) reset();
      };
      texts.forEach((text, index) => {
        const utterance = new SpeechSynthesisUtterance(text);
        utterance.lang = voice ? voice.lang : "zh-CN";
        if (voice) utterance.voice = voice;
        if (index === texts.length - 1) utterance.addEventListener("end", finish);
        utterance.addEventListener("error", finish);
        synth.speak(utterance);
      });
      speaking = true;
      button.textContent = stopLabel;
    });
    // Leaving the page must not leave the browser talking.
    window.addEventListener("pagehide", () => synth.cancel());
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const button of document.querySelectorAll("[data-read-aloud]")) setUp(button);
  });
})();
