/* libsymlearn: symmetries, invariants and gauge-equivariant networks for
 * physics codes.  One include for the whole public API; see docs/guide.md.
 *
 * Link with `pkg-config --cflags --libs symlearn`. */
#ifndef SYMLEARN_H
#define SYMLEARN_H

#include "symlearn/core.h"
#include "symlearn/tensor.h"
#include "symlearn/graph.h"
#include "symlearn/optim.h"
#include "symlearn/analysis.h"
#include "symlearn/losses.h"
#include "symlearn/discover.h"
#include "symlearn/gauge.h"
#include "symlearn/lcnn.h"
#include "symlearn/lattice.h"
#include "symlearn/nn.h"
#include "symlearn/dynamics.h"
#include "symlearn/regression.h"
#include "symlearn/conserved.h"
#include "symlearn/lax.h"
#include "symlearn/scalar.h"
#include "symlearn/cy.h"
#include "symlearn/hnn.h"
#include "symlearn/equivariant.h"

#endif
