#include "textflag.h"

// ARGS loads the arguments of both scans: b in SI, n in BX, delim in AX,
// pos in DI and maxPos in R8.
#define ARGS MOVQ b+0(FP), SI; MOVQ n+8(FP), BX; MOVBLZX delim+16(FP), AX; MOVQ pos+24(FP), DI; MOVQ maxPos+32(FP), R8

// RESULTS returns k (from register K), nd (R10), nq (R11) and found (F, 0
// or 1), after VZEROUPPER.
#define RESULTS(K, F) VZEROUPPER; MOVQ K, k+40(FP); MOVQ R10, nd+48(FP); MOVQ R11, nq+56(FP); MOVB $F, found+64(FP); RET

// func lineScanAVX2(b *byte, n int, delim byte, pos *uint32, maxPos int) (k int, nd int, nq int, found bool)
TEXT ·lineScanAVX2(SB), NOSPLIT, $0-65
	ARGS
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
	ADDQ R9, DX
	RESULTS(DX, 1)

tail:
	RESULTS(R9, 0)

// The byte indexes 0 to 63, for VPCOMPRESSB.
DATA index64<>+0(SB)/8, $0x0706050403020100
DATA index64<>+8(SB)/8, $0x0f0e0d0c0b0a0908
DATA index64<>+16(SB)/8, $0x1716151413121110
DATA index64<>+24(SB)/8, $0x1f1e1d1c1b1a1918
DATA index64<>+32(SB)/8, $0x2726252423222120
DATA index64<>+40(SB)/8, $0x2f2e2d2c2b2a2928
DATA index64<>+48(SB)/8, $0x3736353433323130
DATA index64<>+56(SB)/8, $0x3f3e3d3c3b3a3938
GLOBL index64<>(SB), RODATA|NOPTR, $64

// func lineScanAVX512(b *byte, n int, delim byte, pos *uint32, maxPos int) (k int, nd int, nq int, found bool)
TEXT ·lineScanAVX512(SB), NOSPLIT, $0-65
	ARGS
	VPBROADCASTB AX, Z0
	MOVL $0x0a, AX
	VPBROADCASTB AX, Z1
	MOVL $0x22, AX
	VPBROADCASTB AX, Z2
	VMOVDQU8 index64<>(SB), Z10
	XORQ R9, R9   // offset of the chunk
	XORQ R10, R10 // delimiters seen
	XORQ R11, R11 // quotes seen

loop:
	MOVQ BX, CX
	SUBQ R9, CX // bytes left
	JLE notfound
	CMPQ CX, $64
	JB last
	VMOVDQU8 (SI)(R9*1), Z3
	JMP compare

last:
	// Fewer than 64 bytes left: a masked load reads only those (and
	// faults on nothing past them); the others read as zero.
	MOVQ $-1, AX
	BZHIQ CX, AX, AX
	KMOVQ AX, K5
	VMOVDQU8.Z (SI)(R9*1), K5, Z3

compare:
	VPCMPEQB Z1, Z3, K1 // line feeds
	VPCMPEQB Z0, Z3, K2 // delimiters
	VPCMPEQB Z2, Z3, K3 // quotes
	KMOVQ K1, DX
	TESTQ DX, DX
	JZ count
	// Keep the bits below the first line feed.
	LEAQ -1(DX), AX
	ANDNQ AX, DX, AX // ^DX & (DX-1): the bits below the lowest set one
	KMOVQ AX, K4
	KANDQ K4, K2, K2
	KANDQ K4, K3, K3

count:
	KMOVQ K3, R13
	POPCNTQ R13, R13
	ADDQ R13, R11
	// Write the delimiters' indexes (plus R9) to pos from R10, 16 at a
	// time while R10 is below maxPos: pos has room for 16 past it.
	KMOVQ K2, R12
	POPCNTQ R12, R12
	JZ emitted
	VPCOMPRESSB.Z Z10, K2, Z5
	VPBROADCASTD R9, Z9
	MOVQ R10, AX
	CMPQ AX, R8
	JAE emitted
	VPMOVZXBD X5, Z6
	VPADDD Z9, Z6, Z6
	VMOVDQU32 Z6, (DI)(AX*4)
	CMPQ R12, $16
	JBE emitted
	ADDQ $16, AX
	CMPQ AX, R8
	JAE emitted
	VEXTRACTI32X4 $1, Z5, X7
	VPMOVZXBD X7, Z6
	VPADDD Z9, Z6, Z6
	VMOVDQU32 Z6, (DI)(AX*4)
	CMPQ R12, $32
	JBE emitted
	ADDQ $16, AX
	CMPQ AX, R8
	JAE emitted
	VEXTRACTI32X4 $2, Z5, X7
	VPMOVZXBD X7, Z6
	VPADDD Z9, Z6, Z6
	VMOVDQU32 Z6, (DI)(AX*4)
	CMPQ R12, $48
	JBE emitted
	ADDQ $16, AX
	CMPQ AX, R8
	JAE emitted
	VEXTRACTI32X4 $3, Z5, X7
	VPMOVZXBD X7, Z6
	VPADDD Z9, Z6, Z6
	VMOVDQU32 Z6, (DI)(AX*4)

emitted:
	ADDQ R12, R10
	TESTQ DX, DX
	JNZ found
	ADDQ $64, R9
	JMP loop

found:
	TZCNTQ DX, DX // the line feed's index in the chunk
	ADDQ R9, DX
	RESULTS(DX, 1)

notfound:
	RESULTS(BX, 0)
