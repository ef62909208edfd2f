// Find what breaks a 360-pixel screen: sideways scrolling and small targets.
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
    return problems;
})
