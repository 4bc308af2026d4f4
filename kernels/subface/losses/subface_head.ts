/**
 * The SubFace head (docs/method.md, "Training step"; the paper's
 * Algorithm 1): each step one draw of embedding dims, sub-features and the
 * matching class-centre columns each renormalised inside the subspace, the
 * margin on the target sub-cosine, times s, cross-entropy. Any margin of
 * MarginSoftmaxHead works; Partial FC samples rows first, SubFace then
 * samples columns.
 *
 * Training only: `cosines()` (inherited) uses the full embedding, as
 * evaluation should.
 */
import { HeadConfig, HeadState, MarginSoftmaxHead } from './margin_head';
import { fail } from './errors';
import { StepDraw, StepOptions } from './head_loss';
import {
  ratioAtStep,
  ResolvedSubFace,
  resolveSubFaceConfig,
  SubFaceConfig,
} from './subface_config';
import { SubspaceSampler } from './subspace_sampler';

export interface SubFaceHeadConfig extends HeadConfig {
  /** SubFace options; defaults in DEFAULT_SUBFACE_CONFIG. */
  subface?: SubFaceConfig;
}

export class SubFaceHead extends MarginSoftmaxHead {
  readonly subface: ResolvedSubFace;
  readonly sampler: SubspaceSampler;

  constructor(config: SubFaceHeadConfig) {
    super(config, ['subface']);
    this.subface = resolveSubFaceConfig(config.subface);
    this.sampler = new SubspaceSampler(
      this.subface.sampler,
      this.embeddingDim,
      this.root.derive('subspace').seed,
    );
  }

  /** r for the next call of `loss()`. */
  currentRatio(): number {
    return ratioAtStep(this.subface, this.step);
  }

  override getState(): HeadState {
    return { ...super.getState(), sampler: this.sampler.getState() };
  }

  override setState(state: HeadState): void {
    if (state?.sampler === null || state?.sampler === undefined) {
      fail(
        'SubFaceHead.setState',
        'state.sampler',
        'a SamplerState',
        state?.sampler,
      );
    }
    super.setState(state);
    this.sampler.setState(state.sampler);
  }

  protected override drawStep(labels: Int32Array): StepDraw {
    const { classIndex } = super.drawStep(labels);
    const blocks = this.sampler.draw(labels.length, this.currentRatio());
    return { classIndex, blocks };
  }

  protected override options(): StepOptions {
    const { select, lambda } = this.subface;
    return { margin: this.margin, select, lambda };
  }
}
