"""OpenCV's GrabCut as the independent reference for convlens's grabCut / saliencySegmentation.

Reads a JSON request on stdin: {"cases": [{"image": [H][W][3] numbers in 0..255, "seeds": [H][W]
(1 foreground seed, -1 background seed, 0 free), "iterations": n, "initFrom": "seeds" | "all"},
...]} and writes {"cv2": version, "masks": [[H][W] of 0/1, ...]} to stdout. The image is rounded
to uint8. Debian's python3-opencv: run with /usr/bin/python3.

initFrom "all": one cv2.grabCut(GC_INIT_WITH_MASK) call with seeds GC_FGD / GC_BGD and free pixels
GC_PR_BGD (k-means colour models of every pixel, free ones counted as background).
initFrom "seeds" (Simonyan et al. 2014: the colour models come from the seeds alone):
GC_INIT_WITH_MASK with 0 iterations on an image of the seed pixels only (k-means models of the
seeds), one cut with those models (GC_EVAL_FREEZE_MODEL) on the whole image, then iterations - 1
ordinary rounds (GC_EVAL: reassign, refit on the current labels, cut).
"""
import json
import sys

import cv2
import numpy as np


def grabcut(image, seeds, iterations, init_from):
    img = np.clip(np.rint(np.asarray(image, dtype=np.float64)), 0, 255).astype(np.uint8)
    s = np.asarray(seeds)
    mask = np.full(s.shape, cv2.GC_PR_BGD, np.uint8)
    mask[s > 0] = cv2.GC_FGD
    mask[s < 0] = cv2.GC_BGD
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(0)
    if init_from == "all":
        cv2.grabCut(img, mask, None, bgd, fgd, int(iterations), cv2.GC_INIT_WITH_MASK)
    else:
        picked = s != 0
        seed_img = np.ascontiguousarray(img[picked][None, :, :])
        seed_mask = np.ascontiguousarray(mask[picked][None, :])
        cv2.grabCut(seed_img, seed_mask, None, bgd, fgd, 0, cv2.GC_INIT_WITH_MASK)
        cv2.grabCut(img, mask, None, bgd, fgd, 1, cv2.GC_EVAL_FREEZE_MODEL)
        if iterations > 1:
            cv2.grabCut(img, mask, None, bgd, fgd, int(iterations) - 1, cv2.GC_EVAL)
    return ((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)).astype(int).tolist()


def main():
    request = json.load(sys.stdin)
    masks = [grabcut(c["image"], c["seeds"], c["iterations"], c["initFrom"]) for c in request["cases"]]
    json.dump({"cv2": cv2.__version__, "masks": masks}, sys.stdout)


if __name__ == "__main__":
    main()
