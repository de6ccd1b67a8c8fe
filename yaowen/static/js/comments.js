// Comments (跟帖) in place: post, reply, like and delete without reloading the page.
// Progressive enhancement only: without JavaScript every form posts and the page reloads.
// The markup comes from includes/comments.html; the views answer JSON to
// `Accept: application/json` ({html, count, thread} / {liked, count} / {count, kept} or {error});
// `count_label`, when the views send it, is the comment count's link text ("3 comments").
(() => {
  const section = () => document.querySelector("[data-comments]");

  function announce(text) {
    const status = section()?.querySelector("[data-comment-status]");
    if (!status) return;
    // Clearing first makes screen readers announce the same message twice in a row.
    status.textContent = "";
    window.setTimeout(() => {
      status.textContent = text || "";
    }, 50);
  }

  function updateCount(count, label) {
    const root = section();
    if (!root || typeof count !== "number") return;
    const heading = root.querySelector("#comments-h");
    if (heading && root.dataset.countTemplate) {
      heading.textContent = root.dataset.countTemplate.replace("__N__", String(count));
    }
    // The "N 跟帖" link next to the article's title. Its wording can change with the number
    // ("1 comment", "2 comments"), so a label rendered by the server in the page's language
    // wins; without one only the number is replaced.
    for (const link of document.querySelectorAll('a.comment-count[href="#comments"]')) {
      link.textContent =
        typeof label === "string" && label
          ? label
          : link.textContent.replace(/\d+/, String(count));
    }
  }

  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function showError(form, message) {
    const slot = form.querySelector("[data-form-error]");
    if (slot) {
      slot.textContent = message || "";
      slot.hidden = !message;
      if (message) slot.setAttribute("role", "alert");
    }
    if (message) announce(message);
  }

  async function post(form) {
    // getAttribute: the like form has a field named "action", which shadows form.action.
    const response = await fetch(form.getAttribute("action"), {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    let data = null;
    try {
      data = await response.json();
    } catch {
      // Not JSON (CSRF failure, 404 page, server error): let the plain form post show it.
      throw new Error("not json");
    }
    if (response.status === 401 && data.login_url) {
      window.location.assign(data.login_url);
      return null;
    }
    return { ok: response.ok, data };
  }

  function insertComment(form, data) {
    const item = fragment(data.html);
    if (!item) return null;
    const parentField = form.querySelector("input[name=parent]");
    if (parentField && parentField.value) {
      const thread = document.getElementById(`c${data.thread}`);
      if (!thread) return null;
      let replies = thread.querySelector(":scope > ol.comment-replies");
      if (!replies) {
        replies = document.createElement("ol");
        replies.className = "comment-list comment-replies";
        const more = thread.querySelector(":scope > .comment-more");
        thread.insertBefore(replies, more);
      }
      replies.append(item);
    } else {
      const list = section()?.querySelector("[data-comment-list]");
      if (!list) return null;
      list.hidden = false;
      list.prepend(item);
      section().querySelector("[data-comment-empty]")?.remove();
    }
    return item;
  }

  async function submitComment(form) {
    const button = form.querySelector("button[type=submit]");
    const textarea = form.querySelector("textarea");
    button.disabled = true;
    showError(form, "");
    try {
      const result = await post(form);
      if (!result) return;
      if (!result.ok) {
        showError(form, result.data.error);
        textarea?.focus();
        return;
      }
      if (!result.data.held) {
        // A comment held for review shows nowhere yet; the message says so.
        insertComment(form, result.data);
        updateCount(result.data.count, result.data.count_label);
      }
      if (textarea) textarea.value = "";
      const details = form.closest("details");
      if (details) {
        details.open = false;
        details.querySelector("summary")?.focus();
      }
      announce(result.data.message);
    } catch {
      HTMLFormElement.prototype.submit.call(form);
    } finally {
      button.disabled = false;
    }
  }

  async function submitLike(form) {
    const button = form.querySelector("button");
    const action = form.querySelector("input[name=action]");
    button.disabled = true;
    try {
      const result = await post(form);
      if (!result) return;
      if (!result.ok) {
        announce(result.data.error);
        return;
      }
      const { liked, count } = result.data;
      button.setAttribute("aria-pressed", String(liked));
      const counter = button.querySelector("[data-like-count]");
      if (counter) counter.textContent = count;
      if (action) action.value = liked ? "unlike" : "like";
    } catch {
      HTMLFormElement.prototype.submit.call(form);
    } finally {
      button.disabled = false;
    }
  }

  async function submitDelete(form) {
    const item = form.closest("li[id^=c]");
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const result = await post(form);
      if (!result) return;
      if (!result.ok) {
        announce(result.data.error);
        button.disabled = false;
        return;
      }
      updateCount(result.data.count, result.data.count_label);
      announce(result.data.message);
      if (!item) return;
      if (result.data.kept) {
        // A top-level comment with replies stays as a placeholder above them.
        const placeholder = document.createElement("p");
        placeholder.className = "comment-placeholder empty";
        placeholder.textContent = section()?.dataset.deletedLabel || "";
        item.querySelector(":scope > .comment-main")?.replaceWith(placeholder);
        item.classList.add("comment-deleted");
        item.focus();
      } else {
        const next = item.nextElementSibling || item.parentElement.closest("li[id^=c]");
        item.remove();
        (next || section())?.focus();
      }
    } catch {
      HTMLFormElement.prototype.submit.call(form);
    }
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.matches("[data-comment-delete]") && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if (!window.fetch) return;
    if (form.matches("[data-comment-delete]")) {
      event.preventDefault();
      submitDelete(form);
    } else if (form.matches("[data-comment-like]")) {
      event.preventDefault();
      submitLike(form);
    } else if (form.matches("[data-comment-form]")) {
      event.preventDefault();
      submitComment(form);
    }
  });
})();
