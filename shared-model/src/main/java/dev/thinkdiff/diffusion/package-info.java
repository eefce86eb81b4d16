/**
 * The pocket family's diffusion decoder (ThinkDiff's FLUX role), kept apart like HF diffusers:
 * <ul>
 *   <li>models — {@link dev.thinkdiff.diffusion.ImageAutoencoder} / {@link dev.thinkdiff.diffusion.AutoencoderNet}
 *       (64×64×3 ↔ a small latent grid, the VAE role) and {@link dev.thinkdiff.diffusion.DiffusionTransformer} (latent DiT:
 *       cross-attention to prompt states, pooled-prompt adaLN path, learned null prompt for guidance);</li>
 *   <li>sampler — {@link dev.thinkdiff.diffusion.FlowSampler} (rectified-flow ODE, Euler or Heun steps, with
 *       classifier-free guidance, seeded per image);</li>
 *   <li>pipeline — {@link dev.thinkdiff.diffusion.DiffusionPipeline}: any prompt embedding (text states or aligned
 *       VLM features) → image;</li>
 *   <li>training and measuring — {@link dev.thinkdiff.diffusion.AutoencoderTraining},
 *       {@link dev.thinkdiff.diffusion.DiffusionTraining} (deterministic, resumable),
 *       {@link dev.thinkdiff.diffusion.AutoencoderEvaluation}, {@link dev.thinkdiff.diffusion.DiffusionEvaluation}
 *       (judged by the shipped judge), {@link dev.thinkdiff.diffusion.DiffusionBenchmark}; the training job's {@code train} /
 *       {@code evaluate autoencoder|diffusion} and {@code bench-diffusion} drive them.</li>
 * </ul>
 */
package dev.thinkdiff.diffusion;
