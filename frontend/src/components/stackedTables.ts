// On narrow screens the list tables show each row as a card (styles.css): every cell then needs
// its column's name beside it. This labels the cells of every table.list from its header row, for
// tables already rendered and for rows added later (presence updates, "Load more").

export function labelCells(root: ParentNode): void {
  for (const table of root.querySelectorAll<HTMLTableElement>('table.list')) {
    const headers = [...table.querySelectorAll('thead tr:first-child th')].map((th) => th.textContent?.trim() ?? '');
    if (headers.length === 0) continue;
    for (const row of table.querySelectorAll('tbody tr')) {
      [...row.children].forEach((cell, i) => {
        const label = headers[i];
        if (label && cell.getAttribute('data-label') !== label) cell.setAttribute('data-label', label);
      });
    }
  }
}

/** Keeps the cells under {@code root} labelled; returns the stop function. */
export function keepCellsLabelled(root: HTMLElement): () => void {
  labelCells(root);
  if (typeof MutationObserver !== 'function') return () => {};
  const observer = new MutationObserver(() => labelCells(root));
  observer.observe(root, { childList: true, subtree: true });
  return () => observer.disconnect();
}
