"""The preview pane's own scripts, run in Chromium's isolated application world, and
the patch that turns one block-rendered body into the next (``block_patch``)."""

from __future__ import annotations

import json

from csto_editor.services.preview_page import BodyBlocks

ANCHORS_SCRIPT = """JSON.stringify((function () {
  var blocks = document.querySelectorAll('[data-source-line]'), anchors = [];
  for (var i = 0; i < blocks.length; i++) {
    anchors.push([parseInt(blocks[i].getAttribute('data-source-line'), 10),
                  blocks[i].getBoundingClientRect().top + window.scrollY]);
  }
  return {anchors: anchors, y: window.scrollY};
})())"""


REBUILD_PART_CHARS = 100_000
"""The most characters of block HTML one script carries. Handing a script to Chromium
holds the GUI thread, so the blocks of a long body go to the page in parts, one per turn
of the event loop, and a keystroke never waits for all of them."""


def _js(value: object) -> str:
    """``value`` as a JavaScript literal. Letters stay as they are: escaped, each Cyrillic
    letter took six characters, and a 20,000-word body's script some 2 MB."""
    return json.dumps(value, ensure_ascii=False)


_STAGE_SCRIPT = """(function (part, first) {
  if (first) { window.__cstoParts = []; }
  if (!window.__cstoParts) { return 'stale'; }
  Array.prototype.push.apply(window.__cstoParts, part);
  return 'ok';
})(%s, %s)"""

_STAGED_AND = """(function (last) {
  var staged = window.__cstoParts;
  delete window.__cstoParts;
  return staged ? staged.concat(last) : null;
})(%s)"""

_REBUILD_SCRIPT = """(function (fragments, generation) {
  var root = document.querySelector('article div.body');
  if (!root || !fragments) { return 'stale'; }
  var all = document.createDocumentFragment(), counts = [];
  all.appendChild(document.createTextNode('\\n'));
  for (var i = 0; i < fragments.length; i++) {
    var t = document.createElement('template');
    t.innerHTML = fragments[i];
    t.content.appendChild(document.createTextNode('\\n'));
    counts.push(t.content.childNodes.length);
    all.appendChild(t.content);
  }
  root.replaceChildren(all);
  window.__cstoBlocks = {generation: generation, counts: counts};
  return 'ok';
})(%s, %d)"""

_PATCH_SCRIPT = """(function (op) {
  var state = window.__cstoBlocks, root = document.querySelector('article div.body');
  if (!root || !state || state.generation !== op.base) { return 'stale'; }
  var index = 1, removed = 0, i;
  for (i = 0; i < op.start; i++) { index += state.counts[i]; }
  for (i = op.start; i < op.start + op.remove; i++) { removed += state.counts[i]; }
  for (i = 0; i < removed; i++) { root.removeChild(root.childNodes[index]); }
  var after = root.childNodes[index] || null, all = document.createDocumentFragment();
  var counts = [];
  for (i = 0; i < op.insert.length; i++) {
    var t = document.createElement('template');
    t.innerHTML = op.insert[i];
    t.content.appendChild(document.createTextNode('\\n'));
    counts.push(t.content.childNodes.length);
    all.appendChild(t.content);
  }
  root.insertBefore(all, after);
  state.counts.splice.apply(state.counts, [op.start, op.remove].concat(counts));
  if (op.shift) {
    var shift = function (element) {
      var line = parseInt(element.getAttribute('data-source-line'), 10);
      element.setAttribute('data-source-line', String(line + op.shift));
    };
    for (var node = after; node; node = node.nextSibling) {
      if (node.nodeType !== 1) { continue; }
      if (node.hasAttribute('data-source-line')) { shift(node); }
      var inner = node.querySelectorAll('[data-source-line]');
      for (i = 0; i < inner.length; i++) { shift(inner[i]); }
    }
  }
  state.generation = op.generation;
  return 'ok';
})(%s)"""


def block_patch(old: BodyBlocks, new: BodyBlocks) -> tuple[int, int, tuple[str, ...], int]:
    """What changed from ``old`` to ``new``: the first changed block, how many old blocks
    go, the new blocks' HTML that replaces them, and by how many lines the blocks after
    them moved."""
    shortest = min(len(old.keys), len(new.keys))
    start = 0
    while (
        start < shortest
        and old.keys[start] == new.keys[start]
        and old.fragments[start] == new.fragments[start]
    ):
        start += 1
    same_end = 0
    while (
        same_end < shortest - start
        and old.keys[-1 - same_end] == new.keys[-1 - same_end]
        and old.unshifted[-1 - same_end] == new.unshifted[-1 - same_end]
    ):
        same_end += 1
    shift = 0
    if same_end:
        shift = new.first_lines[-same_end] - old.first_lines[-same_end]
    removed = len(old.keys) - start - same_end
    inserted = new.fragments[start : len(new.keys) - same_end]
    return start, removed, inserted, shift


def replace_body_script(title: str, body: str) -> str:
    return (
        f"document.title = {_js(title)};"
        f"document.body.innerHTML = {_js(body)};"
        "JSON.stringify(window.scrollY)"
    )


def rebuild_scripts(blocks: BodyBlocks, generation: int) -> list[str]:
    """Scripts that, run one after the other, make the page's body ``blocks``: all but
    the last hand the page a part of the blocks (``REBUILD_PART_CHARS``); the last builds
    the body, or answers "stale" if the page lost the parts meanwhile."""
    parts: list[list[str]] = [[]]
    size = 0
    for fragment in blocks.fragments:
        if parts[-1] and size + len(fragment) > REBUILD_PART_CHARS:
            parts.append([])
            size = 0
        parts[-1].append(fragment)
        size += len(fragment)
    *staged, last = parts
    if not staged:
        return [_REBUILD_SCRIPT % (_js(last), generation)]
    return [
        *(
            _STAGE_SCRIPT % (_js(part), "true" if index == 0 else "false")
            for index, part in enumerate(staged)
        ),
        _REBUILD_SCRIPT % (_STAGED_AND % _js(last), generation),
    ]


def scroll_script(y: float) -> str:
    return f"window.scrollTo(0, {y:.1f}); JSON.stringify(window.scrollY)"


def patch_script(operation: dict[str, object]) -> str:
    """Replace some blocks' elements (see ``block_patch``) when the page is still in the
    state ``operation["base"]`` was computed from; answers "ok", else "stale"."""
    return _PATCH_SCRIPT % _js(operation)
