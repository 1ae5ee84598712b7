/* SPDX-License-Identifier: MIT */
/* Private to src/isa: helpers shared by the table, decoder and validator. */
#ifndef BK_ISA_INT_H
#define BK_ISA_INT_H

#include <stdint.h>
#include <bpfkit/insn.h>

#include "../common/common_int.h"

/* Operand fields (BK_FIELD_*) of a shape, without the discriminator. */
uint8_t bk__shape_fields(unsigned shape);

#endif /* BK_ISA_INT_H */
