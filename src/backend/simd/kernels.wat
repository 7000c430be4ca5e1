;; SIMD kernels that run inside the tfjs wasm backend's own heap (src/backend/simd.ts
;; imports that memory): every pointer is the byte offset of a tensor's data there, so no
;; tensor is copied in or out. float32 values, int32 indices, rows of `size` elements.
;; Each loop takes four lanes at a time (f32x4), then the remaining elements one by one
;; with the same operations in the same order, so every element gets the same bits either
;; way. Each kernel is tested against the op-based formulation it replaces
;; (src/backend/rowKernels.ts, src/optim/adamKernel.ts, src/optim/differingRows.ts keep it
;; beside the JS loop the cpu backend runs): Adam's and sum_scaled_rows' bits equal the ops'.
(module
  (import "env" "memory" (memory 1))

  ;; Adam (SPEC.md §4) on n elements, in the op order of src/optim/adam.ts:
  ;;   m' = m b1 + g c1;  v' = v b2 + (g g) c2;  w' = w - (m' step) / (sqrt(v') + eps)
  ;; with c1 = 1 - b1, c2 = 1 - b2 rounded to float32 as the ops' scalars are. Each w is
  ;; read before w' is stored, so out may be the input itself. Returns 1 if any w' differs
  ;; from its w (f32 ne: NaN differs from everything, -0 equals 0), else 0.
  (func $adam_span (param $w i32) (param $m i32) (param $v i32) (param $g i32)
                   (param $outW i32) (param $outM i32) (param $outV i32) (param $n i32)
                   (param $b1 f32) (param $c1 f32) (param $b2 f32) (param $c2 f32) (param $eps f32) (param $step f32)
                   (result i32)
    (local $at i32) (local $vectorEnd i32) (local $end i32)
    (local $g4 v128) (local $m4 v128) (local $v4 v128) (local $w4 v128) (local $new4 v128) (local $changed4 v128)
    (local $gs f32) (local $ms f32) (local $vs f32) (local $ws f32) (local $new f32) (local $changed i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $vectorEnd (i32.and (local.get $end) (i32.const -16)))
    (block $vectorsDone (loop $vectors
      (br_if $vectorsDone (i32.ge_u (local.get $at) (local.get $vectorEnd)))
      (local.set $g4 (v128.load (i32.add (local.get $g) (local.get $at))))
      (local.set $m4 (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $at))) (f32x4.splat (local.get $b1)))
                                (f32x4.mul (local.get $g4) (f32x4.splat (local.get $c1)))))
      (local.set $v4 (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $at))) (f32x4.splat (local.get $b2)))
                                (f32x4.mul (f32x4.mul (local.get $g4) (local.get $g4)) (f32x4.splat (local.get $c2)))))
      (v128.store (i32.add (local.get $outM) (local.get $at)) (local.get $m4))
      (v128.store (i32.add (local.get $outV) (local.get $at)) (local.get $v4))
      (local.set $w4 (v128.load (i32.add (local.get $w) (local.get $at))))
      (local.set $new4 (f32x4.sub (local.get $w4)
                                  (f32x4.div (f32x4.mul (local.get $m4) (f32x4.splat (local.get $step)))
                                             (f32x4.add (f32x4.sqrt (local.get $v4)) (f32x4.splat (local.get $eps))))))
      (v128.store (i32.add (local.get $outW) (local.get $at)) (local.get $new4))
      (local.set $changed4 (v128.or (local.get $changed4) (f32x4.ne (local.get $new4) (local.get $w4))))
      (local.set $at (i32.add (local.get $at) (i32.const 16)))
      (br $vectors)))
    (block $done (loop $scalars
      (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
      (local.set $gs (f32.load (i32.add (local.get $g) (local.get $at))))
      (local.set $ms (f32.add (f32.mul (f32.load (i32.add (local.get $m) (local.get $at))) (local.get $b1))
                              (f32.mul (local.get $gs) (local.get $c1))))
      (local.set $vs (f32.add (f32.mul (f32.load (i32.add (local.get $v) (local.get $at))) (local.get $b2))
                              (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $c2))))
      (f32.store (i32.add (local.get $outM) (local.get $at)) (local.get $ms))
      (f32.store (i32.add (local.get $outV) (local.get $at)) (local.get $vs))
      (local.set $ws (f32.load (i32.add (local.get $w) (local.get $at))))
      (local.set $new (f32.sub (local.get $ws)
                               (f32.div (f32.mul (local.get $ms) (local.get $step))
                                        (f32.add (f32.sqrt (local.get $vs)) (local.get $eps)))))
      (f32.store (i32.add (local.get $outW) (local.get $at)) (local.get $new))
      (local.set $changed (i32.or (local.get $changed) (f32.ne (local.get $new) (local.get $ws))))
      (local.set $at (i32.add (local.get $at) (i32.const 4)))
      (br $scalars)))
    (i32.or (local.get $changed) (v128.any_true (local.get $changed4))))

  ;; Adam on rows rows[0..count) of w, m, v (each `size` long); the gradient holds their
  ;; rows in the same order. flags[row] = 1.0 where the row's w changed, else 0.0. Rows
  ;; not listed (of out and flags) are left to the caller.
  (func (export "adam_rows") (param $w i32) (param $m i32) (param $v i32) (param $rows i32) (param $g i32)
                             (param $outW i32) (param $outM i32) (param $outV i32) (param $flags i32) (param $count i32) (param $size i32)
                             (param $b1 f32) (param $c1 f32) (param $b2 f32) (param $c2 f32) (param $eps f32) (param $step f32)
    (local $r i32) (local $rowBytes i32) (local $row i32) (local $at i32)
    (local.set $rowBytes (i32.shl (local.get $size) (i32.const 2)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $r) (local.get $count)))
      (local.set $row (i32.load (i32.add (local.get $rows) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $at (i32.mul (local.get $row) (local.get $rowBytes)))
      (f32.store (i32.add (local.get $flags) (i32.shl (local.get $row) (i32.const 2))) (f32.convert_i32_u (call $adam_span
        (i32.add (local.get $w) (local.get $at)) (i32.add (local.get $m) (local.get $at)) (i32.add (local.get $v) (local.get $at))
        (i32.add (local.get $g) (i32.mul (local.get $r) (local.get $rowBytes)))
        (i32.add (local.get $outW) (local.get $at)) (i32.add (local.get $outM) (local.get $at)) (i32.add (local.get $outV) (local.get $at))
        (local.get $size) (local.get $b1) (local.get $c1) (local.get $b2) (local.get $c2) (local.get $eps) (local.get $step))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $next))))

  ;; out[slots[e]] += coef[e] src[rows[e]] for e = 0 .. count-1, in that order (out is
  ;; zeroed by the caller): a gather, a row scaling and a scatter-add in one pass.
  (func (export "sum_scaled_rows") (param $out i32) (param $slots i32) (param $coef i32) (param $src i32) (param $rows i32)
                                   (param $count i32) (param $size i32) (param $scale f64)
    (local $e i32) (local $rowBytes i32) (local $vectorEnd i32) (local $at i32)
    (local $o i32) (local $s i32) (local $c f32)
    (local.set $rowBytes (i32.shl (local.get $size) (i32.const 2)))
    (local.set $vectorEnd (i32.and (local.get $rowBytes) (i32.const -16)))
    (block $done (loop $entries
      (br_if $done (i32.ge_u (local.get $e) (local.get $count)))
      (local.set $o (i32.add (local.get $out) (i32.mul (i32.load (i32.add (local.get $slots) (i32.shl (local.get $e) (i32.const 2)))) (local.get $rowBytes))))
      (local.set $s (i32.add (local.get $src) (i32.mul (i32.load (i32.add (local.get $rows) (i32.shl (local.get $e) (i32.const 2)))) (local.get $rowBytes))))
      (local.set $c (f32.load (i32.add (local.get $coef) (i32.shl (local.get $e) (i32.const 2)))))
      (local.set $at (i32.const 0))
      (block $vectorsDone (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $at) (local.get $vectorEnd)))
        (v128.store (i32.add (local.get $o) (local.get $at))
          (f32x4.add (v128.load (i32.add (local.get $o) (local.get $at)))
                     (f32x4.mul (v128.load (i32.add (local.get $s) (local.get $at))) (f32x4.splat (local.get $c)))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $vectors)))
      (block $scalarsDone (loop $scalars
        (br_if $scalarsDone (i32.ge_u (local.get $at) (local.get $rowBytes)))
        (f32.store (i32.add (local.get $o) (local.get $at))
          (f32.add (f32.load (i32.add (local.get $o) (local.get $at)))
                   (f32.mul (f32.load (i32.add (local.get $s) (local.get $at))) (local.get $c))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $scalars)))
      (local.set $e (i32.add (local.get $e) (i32.const 1)))
      (br $entries))))

  ;; out[e] = a[aRows[e]] . b[bRows[e]] for e = 0 .. count-1: four partial sums of lanes
  ;; i = lane (mod 4), added as (s0 + s1) + (s2 + s3), then the remaining elements.
  (func (export "row_dots") (param $out i32) (param $a i32) (param $aRows i32) (param $b i32) (param $bRows i32)
                            (param $count i32) (param $size i32)
    (local $e i32) (local $rowBytes i32) (local $vectorEnd i32) (local $at i32)
    (local $ar i32) (local $br i32) (local $sum4 v128) (local $sum f32)
    (local.set $rowBytes (i32.shl (local.get $size) (i32.const 2)))
    (local.set $vectorEnd (i32.and (local.get $rowBytes) (i32.const -16)))
    (block $done (loop $entries
      (br_if $done (i32.ge_u (local.get $e) (local.get $count)))
      (local.set $ar (i32.add (local.get $a) (i32.mul (i32.load (i32.add (local.get $aRows) (i32.shl (local.get $e) (i32.const 2)))) (local.get $rowBytes))))
      (local.set $br (i32.add (local.get $b) (i32.mul (i32.load (i32.add (local.get $bRows) (i32.shl (local.get $e) (i32.const 2)))) (local.get $rowBytes))))
      (local.set $sum4 (v128.const f32x4 0 0 0 0))
      (local.set $at (i32.const 0))
      (block $vectorsDone (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $at) (local.get $vectorEnd)))
        (local.set $sum4 (f32x4.add (local.get $sum4)
          (f32x4.mul (v128.load (i32.add (local.get $ar) (local.get $at))) (v128.load (i32.add (local.get $br) (local.get $at))))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $vectors)))
      (local.set $sum (f32.add (f32.add (f32x4.extract_lane 0 (local.get $sum4)) (f32x4.extract_lane 1 (local.get $sum4)))
                               (f32.add (f32x4.extract_lane 2 (local.get $sum4)) (f32x4.extract_lane 3 (local.get $sum4)))))
      (block $scalarsDone (loop $scalars
        (br_if $scalarsDone (i32.ge_u (local.get $at) (local.get $rowBytes)))
        (local.set $sum (f32.add (local.get $sum)
          (f32.mul (f32.load (i32.add (local.get $ar) (local.get $at))) (f32.load (i32.add (local.get $br) (local.get $at))))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $scalars)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $e) (i32.const 2))) (local.get $sum))
      (local.set $e (i32.add (local.get $e) (i32.const 1)))
      (br $entries))))

  ;; flags[r] = 1 where row r of a differs from row r of b anywhere, else 0; float
  ;; comparison as tf.notEqual's (NaN differs from everything, -0 equals 0). A row stops
  ;; at its first difference. bStep = 0 compares every row of a with the one row at b.
  (func (export "differing_rows") (param $flags i32) (param $a i32) (param $b i32) (param $bStep i32) (param $count i32) (param $size i32)
    (local $r i32) (local $rowBytes i32) (local $vectorEnd i32) (local $at i32)
    (local $ar i32) (local $br i32) (local $differs f32)
    (local.set $rowBytes (i32.shl (local.get $size) (i32.const 2)))
    (local.set $vectorEnd (i32.and (local.get $rowBytes) (i32.const -16)))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $r) (local.get $count)))
      (local.set $ar (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $rowBytes))))
      (local.set $br (i32.add (local.get $b) (i32.mul (local.get $r) (i32.mul (local.get $bStep) (local.get $rowBytes)))))
      (local.set $at (i32.const 0))
      (local.set $differs (f32.const 1))
      (block $found
        (block $vectorsDone (loop $vectors
          (br_if $vectorsDone (i32.ge_u (local.get $at) (local.get $vectorEnd)))
          (br_if $found (v128.any_true (f32x4.ne (v128.load (i32.add (local.get $ar) (local.get $at)))
                                                 (v128.load (i32.add (local.get $br) (local.get $at))))))
          (local.set $at (i32.add (local.get $at) (i32.const 16)))
          (br $vectors)))
        (block $scalarsDone (loop $scalars
          (br_if $scalarsDone (i32.ge_u (local.get $at) (local.get $rowBytes)))
          (br_if $found (f32.ne (f32.load (i32.add (local.get $ar) (local.get $at)))
                                (f32.load (i32.add (local.get $br) (local.get $at)))))
          (local.set $at (i32.add (local.get $at) (i32.const 4)))
          (br $scalars)))
        (local.set $differs (f32.const 0)))
      (f32.store (i32.add (local.get $flags) (i32.shl (local.get $r) (i32.const 2))) (local.get $differs))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows))))

  ;; ---------------------------------------------------------------------------------------
  ;; count-adam's per-sample sums (src/backend/sampleMoments.ts). Entry e is one sample's own
  ;; gradient of one row, G_e = scale (coefA[e] a[rows[e]] + coefB[e] b[rows[e]]), computed
  ;; in f64 (each product of two f32 values is exact in f64: the sum and the scaling round
  ;; once each) and squared after the sum, never expanded. G_e and G_e^2 are demoted to f32 and added to
  ;; sum[slots[e]] and squares[slots[e]] (zeroed by the caller) in entry order: the bits
  ;; of the JS loop beside it. Four lanes at a time as two f64x2 halves, then the remaining
  ;; elements one by one with the same operations.
  (func (export "sample_moments") (param $sum i32) (param $squares i32) (param $slots i32) (param $rows i32)
                                  (param $coefA i32) (param $a i32) (param $coefB i32) (param $b i32)
                                  (param $count i32) (param $size i32) (param $scale f64)
    (local $e i32) (local $rowBytes i32) (local $vectorEnd i32) (local $at i32)
    (local $o i32) (local $s i32) (local $ca f64) (local $cb f64) (local $ca2 v128) (local $cb2 v128)
    (local $a4 v128) (local $b4 v128) (local $lo v128) (local $hi v128) (local $g f64) (local $scale2 v128)
    (local.set $scale2 (f64x2.splat (local.get $scale)))
    (local.set $rowBytes (i32.shl (local.get $size) (i32.const 2)))
    (local.set $vectorEnd (i32.and (local.get $rowBytes) (i32.const -16)))
    (block $done (loop $entries
      (br_if $done (i32.ge_u (local.get $e) (local.get $count)))
      (local.set $o (i32.mul (i32.load (i32.add (local.get $slots) (i32.shl (local.get $e) (i32.const 2)))) (local.get $rowBytes)))
      (local.set $s (i32.mul (i32.load (i32.add (local.get $rows) (i32.shl (local.get $e) (i32.const 2)))) (local.get $rowBytes)))
      (local.set $ca (f64.promote_f32 (f32.load (i32.add (local.get $coefA) (i32.shl (local.get $e) (i32.const 2))))))
      (local.set $cb (f64.promote_f32 (f32.load (i32.add (local.get $coefB) (i32.shl (local.get $e) (i32.const 2))))))
      (local.set $ca2 (f64x2.splat (local.get $ca)))
      (local.set $cb2 (f64x2.splat (local.get $cb)))
      (local.set $at (i32.const 0))
      (block $vectorsDone (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $at) (local.get $vectorEnd)))
        (local.set $a4 (v128.load (i32.add (local.get $a) (i32.add (local.get $s) (local.get $at)))))
        (local.set $b4 (v128.load (i32.add (local.get $b) (i32.add (local.get $s) (local.get $at)))))
        ;; lanes 0, 1 and lanes 2, 3 (moved down by a shuffle) as f64x2
        (local.set $lo (f64x2.mul (local.get $scale2) (f64x2.add
          (f64x2.mul (f64x2.promote_low_f32x4 (local.get $a4)) (local.get $ca2))
          (f64x2.mul (f64x2.promote_low_f32x4 (local.get $b4)) (local.get $cb2)))))
        (local.set $hi (f64x2.mul (local.get $scale2) (f64x2.add
          (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a4) (local.get $a4))) (local.get $ca2))
          (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b4) (local.get $b4))) (local.get $cb2)))))
        (v128.store (i32.add (local.get $sum) (i32.add (local.get $o) (local.get $at)))
          (f32x4.add (v128.load (i32.add (local.get $sum) (i32.add (local.get $o) (local.get $at))))
                     (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                       (f32x4.demote_f64x2_zero (local.get $lo)) (f32x4.demote_f64x2_zero (local.get $hi)))))
        (v128.store (i32.add (local.get $squares) (i32.add (local.get $o) (local.get $at)))
          (f32x4.add (v128.load (i32.add (local.get $squares) (i32.add (local.get $o) (local.get $at))))
                     (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                       (f32x4.demote_f64x2_zero (f64x2.mul (local.get $lo) (local.get $lo)))
                       (f32x4.demote_f64x2_zero (f64x2.mul (local.get $hi) (local.get $hi))))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $vectors)))
      (block $scalarsDone (loop $scalars
        (br_if $scalarsDone (i32.ge_u (local.get $at) (local.get $rowBytes)))
        (local.set $g (f64.mul (local.get $scale) (f64.add
          (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $a) (i32.add (local.get $s) (local.get $at))))) (local.get $ca))
          (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $b) (i32.add (local.get $s) (local.get $at))))) (local.get $cb)))))
        (f32.store (i32.add (local.get $sum) (i32.add (local.get $o) (local.get $at)))
          (f32.add (f32.load (i32.add (local.get $sum) (i32.add (local.get $o) (local.get $at)))) (f32.demote_f64 (local.get $g))))
        (f32.store (i32.add (local.get $squares) (i32.add (local.get $o) (local.get $at)))
          (f32.add (f32.load (i32.add (local.get $squares) (i32.add (local.get $o) (local.get $at))))
                   (f32.demote_f64 (f64.mul (local.get $g) (local.get $g)))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $scalars)))
      (local.set $e (i32.add (local.get $e) (i32.const 1)))
      (br $entries))))
)
