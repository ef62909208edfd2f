// Find what breaks a 360-pixel screen: sideways scrolling, small targets and
// table cells so narrow they break words.
(() => {
    const problems = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) {
      problems.push(`page scrolls sideways: ${root.scrollWidth}px`);
    }
    const targets = document.querySelectorAll(
      'a[href], button, input:not([type=hidden]), select, textarea, summary');
    for (const el of targets) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (el.closest('.skip-link, .honeypot, .visually-hidden')) continue;
      if (el.matches('input[type=checkbox], input[type=radio]')) {
        const label = el.closest('label');
        const lb = label ? label.getBoundingClientRect() : box;
        if (lb.height < 44) problems.push(`small target: ${el.outerHTML.slice(0, 80)}`);
        continue;
      }
      const inline = el.tagName === 'A' && el.closest('p, li, td, blockquote');
      if (!inline && (box.height < 44 || box.width < 44)) {
        problems.push(`small target ${Math.round(box.width)}x${Math.round(box.height)}: ${el.outerHTML.slice(0, 80)}`);
      }
    }
    // A table squeezed to fit breaks plain words letter by letter; it should
    // keep its words whole and scroll inside its wrapper instead.
    for (const cell of document.querySelectorAll('td, th')) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      let node;
      let broken = null;
      while (!broken && (node = walker.nextNode())) {
        if (node.parentElement.closest('a, code')) continue;
        const token = /\S+/g;
        let match;
        while ((match = token.exec(node.data))) {
          const word = match[0].replace(/^[(¿¡"]+|[).,;:!?"]+$/gu, '');
          if (!/^\p{L}{4,}$/u.test(word)) continue;
          const start = match.index + match[0].indexOf(word);
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + word.length);
          const lines = new Set(Array.from(range.getClientRects(), r => Math.round(r.top)));
          if (lines.size > 1) { broken = word; break; }
        }
      }
      if (broken) problems.push(`word broken in a table cell: ${broken}`);
    }
    return problems;
})
