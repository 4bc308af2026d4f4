/**
 * The views for a page outside VS Code (the CLI's report.html): the same
 * functions as the notebook renderer, as one script that defines the
 * global `SubfaceViews`.
 */
import * as views from './index';

(globalThis as unknown as { SubfaceViews: typeof views }).SubfaceViews = views;
