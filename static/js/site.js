/* The site's one small script; every page works without it.
   - The programme page's print button.
   - The header's search box as a WAI-ARIA combobox (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/):
     suggestions from the search page's JSON endpoint as the visitor types; arrow keys move
     through them, Enter opens the chosen one (or searches, when none is chosen), Escape closes
     the list; a live region says how many there are. */
"use strict";

function searchCombobox(input) {
  const form = input.form;
  const list = document.createElement("ul");
  const status = document.createElement("div");
  const listId = `${input.id}-suggestions`;
  list.id = listId;
  list.className = "site-search__list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", input.labels[0].textContent);
  list.hidden = true;
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.append(list, status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);

  let suggestions = [];
  let active = -1;
  let asked = "";
  let timer = 0;
  let request = null;

  function options() {
    return list.querySelectorAll("[role=option]");
  }

  function open(isOpen) {
    list.hidden = !isOpen;
    input.setAttribute("aria-expanded", String(isOpen));
    if (!isOpen) choose(-1);
  }

  function choose(index) {
    active = index;
    options().forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    if (index >= 0) {
      const option = options()[index];
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function show(found) {
    suggestions = found;
    list.replaceChildren(
      ...found.map((suggestion, index) => {
        const option = document.createElement("li");
        const title = document.createElement("span");
        const kind = document.createElement("span");
        option.id = `${listId}-${index}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "site-search__option";
        title.textContent = suggestion.title;
        if (suggestion.lang) title.lang = suggestion.lang;
        kind.className = "site-search__kind";
        kind.textContent = `, ${suggestion.kind}`;
        option.append(title, kind);
        // mousedown, not click: the input keeps its focus, so the list is not closed first.
        option.addEventListener("mousedown", (event) => {
          event.preventDefault();
          window.location.assign(suggestion.url);
        });
        return option;
      }),
    );
    active = -1;
    input.removeAttribute("aria-activedescendant");
    open(found.length > 0);
    status.textContent = found.length
      ? input.dataset.suggestionCount.replace("%(count)s", found.length)
      : input.dataset.noSuggestions;
  }

  async function ask(query) {
    request?.abort();
    request = new AbortController();
    try {
      const url = `${input.dataset.suggestions}?${new URLSearchParams({ q: query })}`;
      const response = await fetch(url, { signal: request.signal, headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const data = await response.json();
      if (input.value.trim() === query) show(data.suggestions);
    } catch (error) {
      if (error.name !== "AbortError") open(false);
    }
  }

  input.addEventListener("input", () => {
    const query = input.value.trim();
    window.clearTimeout(timer);
    if (query.length < 2) {
      asked = "";
      request?.abort();
      suggestions = [];
      list.replaceChildren();
      open(false);
      return;
    }
    if (query === asked) return;
    asked = query;
    timer = window.setTimeout(() => ask(query), 150);
  });

  input.addEventListener("keydown", (event) => {
    const count = suggestions.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!count) return;
      event.preventDefault();
      if (list.hidden) {
        open(true);
        choose(event.key === "ArrowDown" ? 0 : count - 1);
        return;
      }
      // Past either end the choice goes back to the text typed (-1), and from there on round.
      if (event.key === "ArrowDown") choose(active + 1 < count ? active + 1 : -1);
      else choose(active === -1 ? count - 1 : active - 1);
    } else if (event.key === "Enter" && !list.hidden && active >= 0) {
      event.preventDefault();
      window.location.assign(suggestions[active].url);
    } else if (event.key === "Escape") {
      if (!list.hidden) {
        event.preventDefault();
        open(false);
      } else if (input.value) {
        event.preventDefault();
        input.value = "";
      }
    }
  });

  input.addEventListener("blur", () => open(false));
}

document.addEventListener("DOMContentLoaded", () => {
  // "Print this programme": the browser's own print; the style sheet shows it where script runs.
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
  for (const input of document.querySelectorAll("input[data-suggestions]")) {
    searchCombobox(input);
  }
});
