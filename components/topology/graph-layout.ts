/** The card of a node on the graph, in pixels; the layout places cards on a grid of this size and more. */
export const CARD_WIDTH = 250;
export const CARD_HEIGHT = 78;
/** The layout's grid: a card plus room for the edges and their labels. */
export const LAYOUT = { columnWidth: 340, rowHeight: 112 };
