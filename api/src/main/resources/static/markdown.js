// A tiny, safe Markdown renderer for untrusted model output.
//
// It never parses HTML: the text is split into blocks and inline spans, and every piece of text becomes a DOM text
// node (document.createTextNode), so "<script>" or "<img onerror=…>" in model output is shown as those characters
// and is never interpreted. Only a fixed set of elements is created: h3–h6, p, ul/ol/li, pre/code, strong, em, code.
// Links and images are deliberately not supported (their text is shown as it is).

const HEADING = /^(#{1,6})\s+(.*)$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,9}[.)]\s+(.*)$/;
const FENCE = /^\s*```/;

/** Renders Markdown into a new DocumentFragment. `headingOffset` shifts "#" below the page's own headings. */
export function renderMarkdown(markdown, headingOffset = 2) {
  const fragment = document.createDocumentFragment();
  const lines = String(markdown ?? '').replace(/\r\n?/g, '\n').split('\n');
  let paragraph = [];
  let list = null; // {element, ordered}

  const flushParagraph = () => {
    if (paragraph.length) {
      const p = document.createElement('p');
      appendInline(p, paragraph.join(' '));
      fragment.append(p);
      paragraph = [];
    }
  };
  const closeList = () => { list = null; };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (FENCE.test(line)) {
      flushParagraph(); closeList();
      const code = [];
      for (i++; i < lines.length && !FENCE.test(lines[i]); i++) code.push(lines[i]);
      const pre = document.createElement('pre');
      const element = document.createElement('code');
      element.textContent = code.join('\n');
      pre.append(element);
      fragment.append(pre);
      continue;
    }
    if (!line.trim()) { flushParagraph(); closeList(); continue; }
    const heading = HEADING.exec(line);
    if (heading) {
      flushParagraph(); closeList();
      const level = Math.min(6, heading[1].length + headingOffset);
      const h = document.createElement('h' + level);
      appendInline(h, heading[2].replace(/\s+#+\s*$/, ''));
      fragment.append(h);
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      flushParagraph();
      const ordered = Boolean(numbered);
      if (!list || list.ordered !== ordered) {
        list = { element: document.createElement(ordered ? 'ol' : 'ul'), ordered };
        fragment.append(list.element);
      }
      const li = document.createElement('li');
      appendInline(li, (bullet ?? numbered)[1]);
      list.element.append(li);
      continue;
    }
    if (list && /^\s{2,}\S/.test(line)) { // continuation of a list item
      const last = list.element.lastElementChild;
      last.append(document.createTextNode(' '));
      appendInline(last, line.trim());
      continue;
    }
    closeList();
    paragraph.push(line.trim());
  }
  flushParagraph();
  return fragment;
}

// Inline spans: `code`, **bold** / __bold__, *italic* / _italic_ (underscores never inside a word, so
// identifiers like window.__name stay as they are). Everything else is text.
const INLINE = /(`+)([\s\S]*?[^`])\1(?!`)|\*\*(?=\S)([\s\S]*?\S)\*\*|(?<![\p{L}\p{N}_])__(?=\S)([\s\S]*?\S)__(?![\p{L}\p{N}_])|\*(?=\S)([\s\S]*?\S)\*|(?<![\p{L}\p{N}_])_(?=[^\s_])([\s\S]*?[^\s_])_(?![\p{L}\p{N}_])/u;

function appendInline(parent, text, depth = 0) {
  let rest = text;
  while (rest) {
    const match = depth > 8 ? null : INLINE.exec(rest);
    if (!match) { parent.append(document.createTextNode(rest)); return; }
    if (match.index > 0) parent.append(document.createTextNode(rest.slice(0, match.index)));
    let element;
    if (match[1]) {
      element = document.createElement('code');
      element.textContent = match[2].trim() || match[2];
    } else if (match[3] !== undefined || match[4] !== undefined) {
      element = document.createElement('strong');
      appendInline(element, match[3] ?? match[4], depth + 1);
    } else {
      element = document.createElement('em');
      appendInline(element, match[5] ?? match[6], depth + 1);
    }
    parent.append(element);
    rest = rest.slice(match.index + match[0].length);
  }
}
