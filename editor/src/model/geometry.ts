// Node sizes shared by the canvas and the layout, so elk lays out the boxes that are drawn.
export const NODE_WIDTH = 248;
export const HEADER_HEIGHT = 62;
export const PORT_ROW = 24;

/** Below this zoom a node's 13 px text is under 4 px: the canvas draws nodes as plain boxes. */
export const FAR_ZOOM = 0.3;

export function nodeHeight(portCount: number): number {
  return HEADER_HEIGHT + portCount * PORT_ROW + (portCount ? 8 : 0);
}

/** Vertical centre of output port `index` within the node. */
export function portY(index: number): number {
  return HEADER_HEIGHT + index * PORT_ROW + PORT_ROW / 2;
}
