#include "textflag.h"

// func lineScanAVX2(b *byte, n int, delim byte, pos *uint32, maxPos int) (k int, nd int, nq int, found bool)
TEXT ·lineScanAVX2(SB), NOSPLIT, $0-65
	MOVQ b+0(FP), SI
	MOVQ n+8(FP), BX
	MOVBLZX delim+16(FP), AX
	MOVQ pos+24(FP), DI
	MOVQ maxPos+32(FP), R8
	MOVD AX, X0
	VPBROADCASTB X0, Y0
	MOVL $0x0a, AX
	MOVD AX, X1
	VPBROADCASTB X1, Y1
	MOVL $0x22, AX
	MOVD AX, X2
	VPBROADCASTB X2, Y2
	XORQ R9, R9   // offset of the chunk
	XORQ R10, R10 // delimiters seen
	XORQ R11, R11 // quotes seen

loop:
	LEAQ 32(R9), CX
	CMPQ CX, BX
	JA tail
	VMOVDQU (SI)(R9*1), Y3
	VPCMPEQB Y3, Y1, Y4
	VPMOVMSKB Y4, DX
	VPCMPEQB Y3, Y0, Y5
	VPMOVMSKB Y5, R12
	VPCMPEQB Y3, Y2, Y6
	VPMOVMSKB Y6, R13
	TESTL DX, DX
	JNZ found
	POPCNTL R13, R13
	ADDQ R13, R11

emit:
	TESTL R12, R12
	JZ next
	TZCNTL R12, CX
	CMPQ R10, R8
	JAE skip
	ADDQ R9, CX
	MOVL CX, (DI)(R10*4)

skip:
	INCQ R10
	BLSRL R12, R12
	JMP emit

next:
	ADDQ $32, R9
	JMP loop

found:
	// Keep the bits below the first line feed.
	MOVL DX, AX
	BLSRL AX, AX
	XORL DX, AX    // the lowest set bit of DX
	DECL AX        // the bits below it
	TZCNTL DX, DX  // the line feed's index in the chunk
	ANDL AX, R12
	ANDL AX, R13
	POPCNTL R13, R13
	ADDQ R13, R11

emit2:
	TESTL R12, R12
	JZ done
	TZCNTL R12, CX
	CMPQ R10, R8
	JAE skip2
	ADDQ R9, CX
	MOVL CX, (DI)(R10*4)

skip2:
	INCQ R10
	BLSRL R12, R12
	JMP emit2

done:
	VZEROUPPER
	ADDQ R9, DX
	MOVQ DX, k+40(FP)
	MOVQ R10, nd+48(FP)
	MOVQ R11, nq+56(FP)
	MOVB $1, found+64(FP)
	RET

tail:
	VZEROUPPER
	MOVQ R9, k+40(FP)
	MOVQ R10, nd+48(FP)
	MOVQ R11, nq+56(FP)
	MOVB $0, found+64(FP)
	RET
