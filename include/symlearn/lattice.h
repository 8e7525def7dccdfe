/* libsymlearn lattice: gauge fields (gauge.h: lattices, host layouts, SU(N)
 * utilities, Monte Carlo, NERSC files) and lattice gauge equivariant networks
 * (lcnn.h: L-CNN layers as graph ops, models, training, model files).  Kept
 * so that code including <symlearn/lattice.h> has both. */
#ifndef SYMLEARN_LATTICE_H
#define SYMLEARN_LATTICE_H

#include "gauge.h"
#include "lcnn.h"

#endif
