"""One forward pass of transformers' DiNAT (dinat-mini's config, random weights: nothing is
downloaded) on a batch of 224×224 images, with this folder's NATTEN stand-in. Run it under
`gna trace` (see run.sh): the trace then holds every natten2dqkrpb/natten2dav call site of
modeling_dinat.py with the layouts DiNAT's four stages ran at (56×56 down to 7×7)."""

import sys

import torch

try:
    from transformers import DinatConfig, DinatModel
except ImportError as e:
    sys.exit("transformers with DiNAT is needed: %s" % e)


def main():
    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(0)
    config = DinatConfig()  # dinat-mini: depths 3-4-6-5, heads 2-4-8-16, kernel 7, dilations per layer
    model = DinatModel(config).eval().to(device)
    images = torch.randn(2, 3, 224, 224, device=device)
    try:
        with torch.no_grad():
            out = model(pixel_values=images)
    except ValueError as e:  # what the stand-in refuses, NATTEN refuses alike (natten/functional.py)
        import transformers

        print("transformers %s DinatModel stopped at its first NATTEN call: %s" % (transformers.__version__, e))
        return 3
    print("DiNAT %s on %s: last hidden state %s" % (config.model_type, device, tuple(out.last_hidden_state.shape)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
