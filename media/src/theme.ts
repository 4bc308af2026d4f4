/**
 * Plot colours from VS Code's theme: the body class (vscode-light,
 * vscode-dark, vscode-high-contrast, vscode-high-contrast-light) and the
 * CSS variables the output webview defines. Outside VS Code (the CLI's
 * report page) neither exists and the light defaults apply.
 */

export type ThemeKind = 'light' | 'dark' | 'highContrast' | 'highContrastLight';

export interface Theme {
  kind: ThemeKind;
  background: string;
  foreground: string;
  /** Grid and axis lines. */
  grid: string;
  /** Points of the identities outside the legend's top ones. */
  other: string;
  /** Marks the selected point and its neighbours. */
  highlight: string;
  /** Colours of identities or runs, in order. */
  categorical: string[];
  fontFamily: string;
  fontSize: number;
}

const LIGHT_COLOURS = [
  '#1f6fb4',
  '#f28e1c',
  '#2e9e44',
  '#8e5bb5',
  '#d62728',
  '#17a2a8',
  '#e377c2',
  '#8c564b',
  '#9aa518',
  '#3b4cc0',
  '#52796f',
  '#e0b000',
];

const DARK_COLOURS = [
  '#4fa3e0',
  '#ffa94d',
  '#5ccb6f',
  '#b78be0',
  '#ff6b6b',
  '#3fd0d4',
  '#f28cc8',
  '#c49a6c',
  '#c5d33f',
  '#8a9bff',
  '#84a98c',
  '#ffd43b',
];

/**
 * VS Code's chart colours that come first. Its yellow sits too close to
 * its orange, and its red reads as an error, so those two are left out.
 */
const CHART_VARIABLES = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-purple',
];

const DEFAULT_FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';

function themeKind(): ThemeKind {
  const classes = document.body.classList;
  if (classes.contains('vscode-high-contrast-light')) {
    return 'highContrastLight';
  }
  if (classes.contains('vscode-high-contrast')) return 'highContrast';
  if (classes.contains('vscode-dark')) return 'dark';
  return 'light';
}

function isDark(kind: ThemeKind): boolean {
  return kind === 'dark' || kind === 'highContrast';
}

/** A CSS variable of the page, or `fallback` when it is not set. */
function cssVariable(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name);
  return value.trim() === '' ? fallback : value.trim();
}

function lightTheme(kind: ThemeKind = 'light'): Theme {
  return {
    kind,
    background: '#ffffff',
    foreground: '#1f1f1f',
    grid: '#e0e0e0',
    other: '#b8b8b8',
    highlight: '#000000',
    categorical: [...LIGHT_COLOURS],
    fontFamily: DEFAULT_FONT,
    fontSize: 12,
  };
}

/**
 * The theme to draw with now.
 * @param keepLight draw on white whatever the editor's theme
 */
export function readTheme(keepLight: boolean): Theme {
  const kind = themeKind();
  const fontFamily = cssVariable('--vscode-font-family', DEFAULT_FONT);
  const fontSize = parseFloat(cssVariable('--vscode-font-size', '12')) || 12;
  if (keepLight) return { ...lightTheme(kind), fontFamily, fontSize };

  const dark = isDark(kind);
  const base = dark ? DARK_COLOURS : LIGHT_COLOURS;
  const charts = CHART_VARIABLES.map((name, i) => cssVariable(name, base[i]));
  const foreground = cssVariable(
    '--vscode-editor-foreground',
    dark ? '#cccccc' : '#1f1f1f',
  );
  return {
    kind,
    background: cssVariable(
      '--vscode-editor-background',
      dark ? '#1e1e1e' : '#ffffff',
    ),
    foreground,
    grid: cssVariable('--vscode-charts-lines', dark ? '#3c3c3c' : '#e0e0e0'),
    other: dark ? '#6a6a6a' : '#b8b8b8',
    highlight: foreground,
    categorical: [...charts, ...base.slice(charts.length)],
    fontFamily,
    fontSize,
  };
}

/** The colour of item `index` (identities or runs), cycling. */
export function colourAt(theme: Theme, index: number): string {
  return theme.categorical[index % theme.categorical.length];
}

/** Plotly axis colours of a theme. */
export function axisStyle(theme: Theme): Record<string, unknown> {
  return {
    color: theme.foreground,
    gridcolor: theme.grid,
    zerolinecolor: theme.grid,
    linecolor: theme.grid,
  };
}

/** The layout fields every plot shares. */
export function baseLayout(theme: Theme): Record<string, unknown> {
  return {
    paper_bgcolor: theme.background,
    plot_bgcolor: theme.background,
    font: {
      family: theme.fontFamily,
      size: theme.fontSize,
      color: theme.foreground,
    },
    legend: { bgcolor: 'rgba(0,0,0,0)', font: { color: theme.foreground } },
    hoverlabel: { font: { family: theme.fontFamily } },
    margin: { t: 36, r: 16, b: 48, l: 64 },
  };
}

/**
 * Calls `onChange` when VS Code switches theme (the body class or the
 * CSS variables on the root element change). Returns the unsubscribe.
 */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(() => onChange());
  const options = { attributes: true, attributeFilter: ['class', 'style'] };
  observer.observe(document.body, options);
  observer.observe(document.documentElement, options);
  return () => observer.disconnect();
}
