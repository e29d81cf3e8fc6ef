// Node sizes shared by the canvas and the layout, so elk lays out the boxes that are drawn.
export const NODE_WIDTH = 248;
export const HEADER_HEIGHT = 62;
export const PORT_ROW = 24;

/** Below this zoom a node's 13 px text is under 4 px: the canvas draws nodes as plain boxes. */
export const FAR_ZOOM = 0.3;

export function nodeHeight(portCount: number): number {
  return HEADER_HEIGHT + portCount * PORT_ROW + (portCount ? 8 : 0);
}

/**
 * Where a node's handles are drawn, relative to its top left, as Chromium lays out
 * FlowNodeView (12 px squares; test/e2e/large-program.test.ts checks them against the
 * drawn ones). React Flow is handed these for a node it has not measured yet, so a large
 * program's first frame draws only the nodes in view, and edges to nodes off screen
 * still reach them.
 */
export const HANDLE_SIZE = 12;
export const IN_HANDLE = { x: -12, y: 29 };
export function outHandle(index: number): { x: number; y: number } {
  return { x: NODE_WIDTH, y: 66 + index * PORT_ROW };
}

/** Vertical centre of the input handle and of output port `index`: where elk is told the ports are, so a straight chain is drawn straight. */
export const IN_PORT_Y = IN_HANDLE.y + HANDLE_SIZE / 2;
export function portY(index: number): number {
  return outHandle(index).y + HANDLE_SIZE / 2;
}
