// Suggestions for the filter inputs that take one record of thousands (core.lookups): as the
// visitor types, ask the input's data-suggest endpoint and offer what it answers in a
// <datalist>. Choosing a suggestion puts the record's slug in the input. Without this script
// the input still takes a name or a slug, and the page offers links when a name is not clear.
(function () {
  "use strict";

  const DELAY = 200;

  function attach(input, index) {
    const list = document.createElement("datalist");
    list.id = `lookup-suggestions-${index}`;
    input.after(list);
    input.setAttribute("list", list.id);
    let timer = null;
    let pending = null;

    async function suggest() {
      const text = input.value.trim();
      if (pending) pending.abort();
      if (!text) {
        list.replaceChildren();
        return;
      }
      pending = new AbortController();
      const url = new URL(input.dataset.suggest, window.location.href);
      url.searchParams.set("q", text);
      try {
        const response = await fetch(url, {
          signal: pending.signal,
          headers: { Accept: "application/json" },
        });
        if (!response.ok) return;
        const data = await response.json();
        list.replaceChildren(
          ...data.results.map((result) => new Option(result.label, result.value)),
        );
      } catch (error) {
        if (error.name !== "AbortError") throw error;
      }
    }

    input.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, DELAY);
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
