<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
<context>
    <name>AnomaliesView</name>
    <message>
        <source>Score</source>
        <extracomment>How many of the most anomalous samples the gallery shows.</extracomment>
        <translation>スコア</translation>
    </message>
    <message>
        <source>Percentile</source>
        <translation>パーセンタイル</translation>
    </message>
    <message>
        <source>Contamination</source>
        <translation>汚染率</translation>
    </message>
    <message>
        <source>Truth</source>
        <extracomment>The class a one-class run was trained on (its normal class), if any. The run config the panels describe (set by the main window), for the one-class table. The one-class table&apos;s window, made when first asked for.</extracomment>
        <translation>正解</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>しきい値</translation>
    </message>
    <message>
        <source>One-class table…</source>
        <translation>1 クラス表…</translation>
    </message>
    <message>
        <source>ROC AUC of the current family and of PCA with each class in turn as the normal one, measured in the background (needs labelled data)</source>
        <translation>各クラスを順に正常クラスとしたときの、現在のモデルの種類と PCA の ROC AUC をバックグラウンドで測定します(ラベル付きデータが必要です)</translation>
    </message>
    <message>
        <source>Reconstruction error</source>
        <translation>再構成誤差</translation>
    </message>
    <message>
        <source>score</source>
        <translation>スコア</translation>
    </message>
    <message>
        <source>samples</source>
        <translation>サンプル数</translation>
    </message>
    <message>
        <source>false positive rate</source>
        <translation>偽陽性率</translation>
    </message>
    <message>
        <source>true positive rate</source>
        <translation>真陽性率</translation>
    </message>
    <message>
        <source>Precision-recall</source>
        <translation>適合率-再現率</translation>
    </message>
    <message>
        <source>recall</source>
        <translation>再現率</translation>
    </message>
    <message>
        <source>precision</source>
        <translation>適合率</translation>
    </message>
    <message>
        <source>Most anomalous</source>
        <translation>最も異常なサンプル</translation>
    </message>
    <message>
        <source>Error heat maps</source>
        <translation>誤差のヒートマップ</translation>
    </message>
    <message>
        <source>Cannot measure the one-class table</source>
        <translation>1 クラス表を測定できません</translation>
    </message>
    <message>
        <source>No scores yet.</source>
        <translation>スコアはまだありません。</translation>
    </message>
    <message>
        <source>anomaly labels as given</source>
        <translation>与えられた異常ラベル</translation>
    </message>
    <message>
        <source>normal class: {0}</source>
        <translation>正常クラス: {0}</translation>
    </message>
    <message>
        <source>none (no ROC)</source>
        <translation>なし(ROC なし)</translation>
    </message>
    <message>
        <source>normal ({0})</source>
        <translation>正常({0})</translation>
    </message>
    <message>
        <source>anomalous ({0})</source>
        <translation>異常({0})</translation>
    </message>
    <message>
        <source>ROC (needs labels or anomaly flags)</source>
        <translation>ROC(ラベルまたは異常フラグが必要)</translation>
    </message>
    <message>
        <source>Precision-recall (needs truth)</source>
        <translation>適合率-再現率(正解が必要)</translation>
    </message>
    <message>
        <source>flags {0} of {1} ({2}%) above {3}</source>
        <translation>{1} 個中 {0} 個({2}%)が {3} を超えて異常</translation>
    </message>
    <message>
        <source> · precision {0} · recall {1}</source>
        <translation> · 適合率 {0} · 再現率 {1}</translation>
    </message>
    <message>
        <source>Most anomalous {0} of {1}</source>
        <translation>{1} 個中で最も異常な {0} 個</translation>
    </message>
    <message>
        <source>most anomalous</source>
        <translation>最も異常なもの</translation>
    </message>
    <message>
        <source>No reconstructions for the {0} selected (needs a decoder)</source>
        <translation>選択した {0} 個の再構成はありません(デコーダが必要)</translation>
    </message>
    <message>
        <source>{0} selected</source>
        <translation>選択した {0} 個</translation>
    </message>
    <message>
        <source>fixed samples</source>
        <translation>固定サンプル</translation>
    </message>
    <message>
        <source>|error| per pixel, {0}</source>
        <translation>画素ごとの |誤差|、{0}</translation>
    </message>
    <message>
        <source>|error| per feature, {0}</source>
        <translation>特徴量ごとの |誤差|、{0}</translation>
    </message>
    <message>
        <source>model</source>
        <translation>モデル</translation>
    </message>
</context>
<context>
    <name>DataPanel</name>
    <message>
        <source>MNIST digits (download)</source>
        <translation>MNIST 手書き数字(ダウンロード)</translation>
    </message>
    <message>
        <source>Fashion-MNIST clothes (download)</source>
        <translation>Fashion-MNIST 衣類(ダウンロード)</translation>
    </message>
    <message>
        <source>KMNIST Japanese characters (download)</source>
        <translation>KMNIST くずし字(ダウンロード)</translation>
    </message>
    <message>
        <source>auto (no column named label, class, target or y)</source>
        <translation>自動(label、class、target、y という名前の列はありません)</translation>
    </message>
    <message>
        <source>auto: {0}</source>
        <translation>自動: {0}</translation>
    </message>
    <message>
        <source>none (every column is a feature)</source>
        <translation>なし(すべての列が特徴量)</translation>
    </message>
    <message>
        <source>column {0}: {1}</source>
        <translation>列 {0}: {1}</translation>
    </message>
    <message>
        <source>column {0}</source>
        <translation>列 {0}</translation>
    </message>
    <message>
        <source>{0} (built-in, {1})</source>
        <translation>{0}(組み込み、{1})</translation>
    </message>
    <message>
        <source>{0} (built-in)</source>
        <translation>{0}(組み込み)</translation>
    </message>
    <message>
        <source>{0} (folder)</source>
        <translation>{0}(フォルダ)</translation>
    </message>
    <message>
        <source>{0} (file)</source>
        <translation>{0}(ファイル)</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;: {1} images of {2}</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;: {2} の画像 {1} 枚</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;: {1} vectors of {2}</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;: {2} 次元のベクトル {1} 個</translation>
    </message>
    <message>
        <source>{0} features, values {1} … {2}</source>
        <translation>特徴量 {0} 個、値の範囲 {1} … {2}</translation>
    </message>
    <message>
        <source>{0} classes: {1}</source>
        <translation>{0} クラス: {1}</translation>
    </message>
    <message>
        <source>{0} marked anomalies</source>
        <translation>異常の印 {0} 個</translation>
    </message>
    <message>
        <source>Built-in data sets are generated in code; downloads are cached.</source>
        <extracomment>Where the loaded data&apos;s labels came from (``DataSpec.label_column``). The running load (superseded ones are asked to quit and then ignored).</extracomment>
        <translation>組み込みデータセットはコードで生成されます。ダウンロードしたものはキャッシュされます。</translation>
    </message>
    <message>
        <source>Open file…</source>
        <translation>ファイルを開く…</translation>
    </message>
    <message>
        <source>CSV/TSV, NPY/NPZ or IDX (Ctrl+O)</source>
        <translation>CSV/TSV、NPY/NPZ または IDX(Ctrl+O)</translation>
    </message>
    <message>
        <source>Open folder…</source>
        <translation>フォルダを開く…</translation>
    </message>
    <message>
        <source>A folder of PNG/JPEG images; sub-folders are classes</source>
        <translation>PNG/JPEG 画像のフォルダ。サブフォルダがクラスになります</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Which column of the table holds the class labels; auto takes a column named label, class, target or y (any case)</source>
        <translation>表のどの列がクラスラベルかを指定します。自動では label、class、target、y という名前(大文字小文字は問わない)の列を使います</translation>
    </message>
    <message>
        <source>Labels:</source>
        <translation>ラベル:</translation>
    </message>
    <message>
        <source>No data loaded</source>
        <translation>データが読み込まれていません</translation>
    </message>
    <message>
        <source>Loading {0} …</source>
        <extracomment>The normalisation and the normal class the loaded data are trained with.</extracomment>
        <translation>{0} を読み込み中…</translation>
    </message>
    <message>
        <source>Open a data file</source>
        <translation>データファイルを開く</translation>
    </message>
    <message>
        <source>Open a folder of images</source>
        <translation>画像のフォルダを開く</translation>
    </message>
    <message>
        <source>Cannot load the data set</source>
        <translation>データセットを読み込めません</translation>
    </message>
    <message>
        <source>Labels of {0}:</source>
        <translation>{0} のラベル:</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Reset the model?</source>
        <translation>モデルをリセットしますか?</translation>
    </message>
    <message>
        <source>Changing {0} needs a new model. Reset now and lose the current one?

Choose No to keep training the current model with its old settings.</source>
        <translation>{0}を変更するには新しいモデルが必要です。今リセットして現在のモデルを破棄しますか?

「いいえ」を選ぶと、現在のモデルを以前の設定のまま学習し続けます。</translation>
    </message>
</context>
<context>
    <name>FileDialogs</name>
    <message>
        <source>aeviewer sessions (*.aev)</source>
        <translation>aeviewer セッション (*.aev)</translation>
    </message>
    <message>
        <source>Models (*.json *.safetensors *.pt *.pth);;All files (*)</source>
        <translation>モデル (*.json *.safetensors *.pt *.pth);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>CSV table (*.csv);;NumPy array (*.npy)</source>
        <translation>CSV 表 (*.csv);;NumPy 配列 (*.npy)</translation>
    </message>
    <message>
        <source>full (encoder and decoder)</source>
        <extracomment>The shown names of the parts of a model export.</extracomment>
        <translation>全体(エンコーダとデコーダ)</translation>
    </message>
    <message>
        <source>encoder</source>
        <translation>エンコーダ</translation>
    </message>
    <message>
        <source>decoder</source>
        <translation>デコーダ</translation>
    </message>
    <message>
        <source>Export model</source>
        <translation>モデルを書き出す</translation>
    </message>
    <message>
        <source>needs the onnx extra: {0}</source>
        <translation>onnx 追加パッケージが必要です: {0}</translation>
    </message>
    <message>
        <source>ONNX needs: {0}</source>
        <translation>ONNX には次が必要です: {0}</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>形式</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>部分</translation>
    </message>
    <message>
        <source>Restore the last session?</source>
        <translation>前回のセッションを復元しますか?</translation>
    </message>
    <message>
        <source>aeviewer did not close cleanly last time. Restore the work it saved automatically?</source>
        <translation>前回 aeviewer は正常に終了しませんでした。自動保存された作業を復元しますか?</translation>
    </message>
    <message>
        <source>Data files (*.csv *.tsv *.txt *.npy *.npz *.idx *.gz *-ubyte *.idx1-ubyte *.idx3-ubyte);;All files (*)</source>
        <extracomment>Translated by the file dialog (the &quot;FileDialogs&quot; context).</extracomment>
        <translation>データファイル (*.csv *.tsv *.txt *.npy *.npz *.idx *.gz *-ubyte *.idx1-ubyte *.idx3-ubyte);;すべてのファイル (*)</translation>
    </message>
</context>
<context>
    <name>GanView</name>
    <message>
        <source>no samples yet</source>
        <extracomment>``[covered, modes, high-quality fraction]`` on clustered 2-D data, else None.</extracomment>
        <translation>サンプルはまだありません</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>エポック</translation>
    </message>
    <message>
        <source>Losses</source>
        <translation>損失</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>エポック</translation>
    </message>
    <message>
        <source>D loss</source>
        <translation>識別器の損失</translation>
    </message>
    <message>
        <source>G loss</source>
        <translation>生成器の損失</translation>
    </message>
    <message>
        <source>Mean discriminator output</source>
        <translation>識別器の平均出力</translation>
    </message>
    <message>
        <source>Samples of the fixed noise</source>
        <translation>固定ノイズからのサンプル</translation>
    </message>
    <message>
        <source>Real and generated points</source>
        <translation>本物と生成された点</translation>
    </message>
    <message>
        <source>real</source>
        <translation>本物</translation>
    </message>
    <message>
        <source>generated</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>epoch {0} ({1}/{2})</source>
        <translation>エポック {0}({1}/{2})</translation>
    </message>
    <message>
        <source>Samples of the fixed noise, epoch {0}</source>
        <translation>固定ノイズからのサンプル、エポック {0}</translation>
    </message>
    <message>
        <source>Real and generated points, epoch {0}</source>
        <translation>本物と生成された点、エポック {0}</translation>
    </message>
    <message>
        <source>Real and generated, first two features, epoch {0}</source>
        <translation>本物と生成サンプル(最初の 2 特徴量)、エポック {0}</translation>
    </message>
    <message>
        <source>{0}/{1} modes covered, {2} of samples within 3σ of one</source>
        <translation>{0}/{1} 個のモードを網羅、サンプルの {2} がいずれかのモードの 3σ 以内</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>&amp;Language (after restart)</source>
        <translation>言語(再起動後に反映)(&amp;L)</translation>
    </message>
    <message>
        <source>System default ({0})</source>
        <translation>システムの設定 ({0})</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>システムの設定</translation>
    </message>
    <message>
        <source>The language changes the next time aeviewer starts.</source>
        <translation>言語は aeviewer の次回起動時に切り替わります。</translation>
    </message>
</context>
<context>
    <name>LatentView</name>
    <message>
        <source>Class</source>
        <translation>クラス</translation>
    </message>
    <message>
        <source>Anomaly flag</source>
        <translation>異常フラグ</translation>
    </message>
    <message>
        <source>Reconstruction error</source>
        <translation>再構成誤差</translation>
    </message>
    <message>
        <source>Pan / pick</source>
        <translation>移動 / 選択</translation>
    </message>
    <message>
        <source>Select rectangle</source>
        <translation>矩形で選択</translation>
    </message>
    <message>
        <source>Select lasso</source>
        <translation>投げ縄で選択</translation>
    </message>
    <message>
        <source>Decode point</source>
        <translation>点を復号</translation>
    </message>
    <message>
        <source>{0} of {1}-D latents</source>
        <translation>{1} 次元の潜在変数の {0}</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <extracomment>Replay keeps at most this many snapshots and this many bytes; older ones are thinned out. Something changed while the tab was hidden; drawn when it is shown. (data set, evaluation indices, order by class, class bounds) of the last class layering: the order is the same for every snapshot of a run and costs most of an update with a million points. The running projection and the (epoch, method) it computes; a new one supersedes it. The running decoded-grid computation, and its number (older ones are ignored).</extracomment>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source> and </source>
        <translation>と</translation>
    </message>
    <message>
        <source>Decoded grid</source>
        <translation>復号グリッド</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>色分け</translation>
    </message>
    <message>
        <source>Projection</source>
        <translation>射影</translation>
    </message>
    <message>
        <source>no snapshot yet</source>
        <translation>スナップショットはまだありません</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>エポック</translation>
    </message>
    <message>
        <source>decoded ({0}, {1})</source>
        <translation>復号 ({0}, {1})</translation>
    </message>
    <message>
        <source>Interpolation #{0} → #{1}</source>
        <translation>補間 #{0} → #{1}</translation>
    </message>
    <message>
        <source>epoch {0} ({1}/{2})</source>
        <translation>エポック {0}({1}/{2})</translation>
    </message>
    <message>
        <source>replaying an older epoch: PCA projection</source>
        <translation>過去のエポックを再生中: PCA 射影</translation>
    </message>
    <message>
        <source>computing {0} of {1} points… (PCA meanwhile)</source>
        <translation>{1} 点の {0} を計算中…(その間は PCA)</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>samples</source>
        <translation>サンプル</translation>
    </message>
    <message>
        <source>anomaly</source>
        <translation>異常</translation>
    </message>
    <message>
        <source>top 5% error</source>
        <translation>誤差の上位 5%</translation>
    </message>
    <message>
        <source> error {0}</source>
        <translation> 誤差 {0}</translation>
    </message>
    <message>
        <source>decoding the grid failed: {0}</source>
        <translation>グリッドの復号に失敗しました: {0}</translation>
    </message>
    <message>
        <source>{0} failed: {1}</source>
        <translation>{0} に失敗しました: {1}</translation>
    </message>
</context>
<context>
    <name>LossView</name>
    <message>
        <source>Press Start (Space) to train; PCA&apos;s loss at the same size appears as a dashed line</source>
        <translation>「開始」(Space) で学習します。同じ次元の PCA の損失が破線で表示されます</translation>
    </message>
    <message>
        <source>Log scale</source>
        <extracomment>The pen of PCA&apos;s reference line. The shortest time between two redraws of the curves while data stream in. A redraw costs the GUI thread about 8 ms while training on 2 CPUs; at one a second instead of two its share of a core fell from about 4.2% to 2.6% (GUI-thread CPU time over steady epochs of the default model). The pens of the learning-rate curves, one per optimiser group in turn. The height of the learning-rate plot under the loss plot, in pixels. The width of the y axes of both plots, so that their x axes line up. A term this many times larger than the total loss starts hidden. Colours of the loss terms, in order of first appearance.</extracomment>
        <translation>対数軸</translation>
    </message>
    <message>
        <source>A true logarithmic y axis</source>
        <translation>y 軸を対数目盛にします</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学習率</translation>
    </message>
    <message>
        <source>Show the learning rate that the schedule set, epoch by epoch, under the loss</source>
        <translation>スケジュールが設定した学習率をエポックごとに損失の下に表示します</translation>
    </message>
    <message>
        <source>Exponential moving average: weight of the past, 0 … 0.99</source>
        <translation>指数移動平均: 過去の重み、0 … 0.99</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>エポック</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>ステップ</translation>
    </message>
    <message>
        <source>Wall time</source>
        <translation>経過時間</translation>
    </message>
    <message>
        <source>Plot against epochs, optimiser steps or training seconds</source>
        <translation>横軸をエポック、最適化ステップ、または学習時間(秒)にします</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV に書き出す…</translation>
    </message>
    <message>
        <source>Export image…</source>
        <translation>画像を書き出す…</translation>
    </message>
    <message>
        <source>Smoothing</source>
        <extracomment>Says which curves are hidden and how to show them.</extracomment>
        <translation>平滑化</translation>
    </message>
    <message>
        <source>X axis</source>
        <translation>横軸</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>損失</translation>
    </message>
    <message>
        <source>train loss (batches)</source>
        <translation>学習損失(バッチ)</translation>
    </message>
    <message>
        <source>PCA with {0} components: validation MSE {1}</source>
        <translation>{0} 成分の PCA: 検証 MSE {1}</translation>
    </message>
    <message>
        <source>{0} · latent {1} · {2} parameters · {3} train / {4} validation samples · {5}</source>
        <translation>{0} · 潜在次元 {1} · パラメータ {2} 個 · 学習 {3} / 検証 {4} サンプル · {5}</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学習率</translation>
    </message>
    <message>
        <source>lr</source>
        <translation>学習率</translation>
    </message>
    <message>
        <source>lr {0}</source>
        <translation>学習率 {0}</translation>
    </message>
    <message>
        <source>{0} (right axis)</source>
        <translation>{0}(右軸)</translation>
    </message>
    <message>
        <source>Hidden: {0} (on another scale). Click an entry in the legend to show or hide its curve.</source>
        <translation>非表示: {0}(別の尺度)。凡例の項目をクリックすると曲線を表示/非表示にできます。</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>エポック</translation>
    </message>
    <message>
        <source>step</source>
        <translation>ステップ</translation>
    </message>
    <message>
        <source>training time (s)</source>
        <translation>学習時間(秒)</translation>
    </message>
    <message>
        <source>Export loss curves</source>
        <translation>損失曲線を書き出す</translation>
    </message>
    <message>
        <source>Export loss plot</source>
        <translation>損失のグラフを書き出す</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg)</source>
        <translation>PNG 画像 (*.png);;SVG 図 (*.svg)</translation>
    </message>
    <message>
        <source>Nothing to export</source>
        <translation>書き出すものがありません</translation>
    </message>
    <message>
        <source>There are no loss curves yet: train a model first.</source>
        <translation>損失曲線がまだありません。先にモデルを学習してください。</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>書き出しに失敗しました</translation>
    </message>
    <message>
        <source>train</source>
        <extracomment>Legend words of splits and loss terms, translated when shown (others as they are).</extracomment>
        <translation>学習</translation>
    </message>
    <message>
        <source>val</source>
        <translation>検証</translation>
    </message>
    <message>
        <source>recon</source>
        <translation>再構成</translation>
    </message>
    <message>
        <source>kl</source>
        <translation>KL</translation>
    </message>
    <message>
        <source>sparsity</source>
        <translation>スパース性</translation>
    </message>
    <message>
        <source>d_loss</source>
        <translation>識別器の損失</translation>
    </message>
    <message>
        <source>g_loss</source>
        <translation>生成器の損失</translation>
    </message>
    <message>
        <source>d_real</source>
        <translation>D(本物)</translation>
    </message>
    <message>
        <source>d_fake</source>
        <translation>D(生成)</translation>
    </message>
    <message>
        <source>loss (binary cross-entropy)</source>
        <extracomment>Terms that are sums over a sample&apos;s features, in nats (negative log-likelihoods). A VAE&apos;s loss and its parts are per-sample sums (nats) as well. A GAN&apos;s mean discriminator outputs, probabilities rather than losses.</extracomment>
        <translation>損失(二値交差エントロピー)</translation>
    </message>
    <message>
        <source>mean discriminator output</source>
        <translation>識別器の平均出力</translation>
    </message>
    <message>
        <source>MSE per feature</source>
        <translation>特徴量あたりの MSE</translation>
    </message>
    <message>
        <source>nats per sample (−ELBO, reconstruction, KL)</source>
        <translation>サンプルあたりのナット(−ELBO、再構成、KL)</translation>
    </message>
    <message>
        <source>loss per feature</source>
        <translation>特徴量あたりの損失</translation>
    </message>
    <message>
        <source>nats per sample (negative log-likelihood)</source>
        <translation>サンプルあたりのナット(負の対数尤度)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>the defaults</source>
        <extracomment>The learning rate every run had by default before it was automatic.</extracomment>
        <translation>既定値</translation>
    </message>
    <message>
        <source>Data</source>
        <extracomment>How the last run ended (Finished.reason, or &quot;failed&quot;), for the status bar. The data preparation of an opened run, session or model, applied to its source. The GUI thread&apos;s CPU copy of the current model (decoding, export, sessions).</extracomment>
        <translation>データ</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>Training</source>
        <extracomment>Space starts and pauses unless a text field has the focus (see SpaceKeyFilter). Sessions, model and data export, opening models, autosave. Open run directory…: follows a run written elsewhere. Runs compared side by side: the Runs panel and table, overlays in Loss and PCA.</extracomment>
        <translation>学習</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open data file…</source>
        <translation>データファイルを開く(&amp;O)…</translation>
    </message>
    <message>
        <source>Open image &amp;folder…</source>
        <translation>画像フォルダを開く(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Training</source>
        <translation>学習(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <source>the data set</source>
        <translation>データセット</translation>
    </message>
    <message>
        <source>the data preparation</source>
        <translation>データの前処理</translation>
    </message>
    <message>
        <source>Data prepared as the opened run prepared them: {0}</source>
        <translation>開いた実行と同じ前処理をデータに適用しました: {0}</translation>
    </message>
    <message>
        <source>no data set is loaded yet; pick one in the Data panel</source>
        <translation>データセットがまだ読み込まれていません。データパネルで選んでください</translation>
    </message>
    <message>
        <source>the model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>Continuing after epoch {0} to epoch {1}, from the weights with a fresh optimiser (no training state was saved).</source>
        <translation>エポック {0} の続きからエポック {1} まで学習します。重みから再開し、最適化器は新しく作ります(学習状態は保存されていませんでした)。</translation>
    </message>
    <message>
        <source>Continuing after epoch {0} to epoch {1}, from the whole training state.</source>
        <translation>エポック {0} の続きからエポック {1} まで、保存された学習状態全体から再開します。</translation>
    </message>
    <message>
        <source>Training diverged</source>
        <translation>学習が発散しました</translation>
    </message>
    <message>
        <source>The loss became NaN.</source>
        <translation>損失が NaN になりました。</translation>
    </message>
    <message>
        <source>Training completed after epoch {0}.</source>
        <translation>エポック {0} で学習が完了しました。</translation>
    </message>
    <message>
        <source>Training stopped after epoch {0}.</source>
        <translation>エポック {0} で学習を停止しました。</translation>
    </message>
    <message>
        <source>Training ended ({1}) after epoch {0}.</source>
        <translation>エポック {0} で学習が終了しました({1})。</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>学習に失敗しました</translation>
    </message>
    <message>
        <source>Cannot start training</source>
        <translation>学習を開始できません</translation>
    </message>
    <message>
        <source>No device list: {0}</source>
        <translation>デバイス一覧を取得できません: {0}</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>Autoencoder</source>
        <translation>オートエンコーダ</translation>
    </message>
    <message>
        <source>x̂ = dec(enc(x)) trained to reproduce its input through a narrow code; the bottleneck forces it to keep only what matters.</source>
        <translation>x̂ = dec(enc(x)) を、狭い符号を通して入力を再現するように学習します。ボトルネックが、重要な情報だけを残すことを強います。</translation>
    </message>
    <message>
        <source>Linear autoencoder</source>
        <translation>線形オートエンコーダ</translation>
    </message>
    <message>
        <source>Without non-linearities and with squared error it learns the same subspace as PCA with as many components, and its error approaches PCA&apos;s.</source>
        <translation>非線形性を持たず二乗誤差で学習すると、同じ成分数の PCA と同じ部分空間を学習し、誤差は PCA の誤差に近づきます。</translation>
    </message>
    <message>
        <source>Convolutional</source>
        <translation>畳み込み</translation>
    </message>
    <message>
        <source>Convolutions share weights across positions, so images need far fewer parameters than with dense layers.</source>
        <translation>畳み込みは位置をまたいで重みを共有するため、画像では全結合層よりはるかに少ないパラメータで済みます。</translation>
    </message>
    <message>
        <source>Sparse</source>
        <translation>スパース</translation>
    </message>
    <message>
        <source>A penalty drives the code&apos;s activations (not the weights) towards zero, so each input uses only a few code units.</source>
        <translation>罰則項が(重みではなく)符号の活性をゼロへ近づけるため、各入力はわずかな符号ユニットしか使いません。</translation>
    </message>
    <message>
        <source>Denoising</source>
        <translation>デノイジング</translation>
    </message>
    <message>
        <source>It sees a corrupted input and must reconstruct the clean one, so it cannot just copy and has to learn the data&apos;s structure.</source>
        <translation>ノイズで劣化させた入力から元のきれいな入力を再構成するため、単なるコピーはできず、データの構造を学習する必要があります。</translation>
    </message>
    <message>
        <source>Stacked</source>
        <translation>積層</translation>
    </message>
    <message>
        <source>Greedy layer-wise pre-training, one shallow autoencoder per layer on the codes of the previous one, then end-to-end fine-tuning.</source>
        <translation>貪欲な層ごとの事前学習: 層ごとに浅いオートエンコーダを前の層の符号で学習し、最後に全体をエンドツーエンドで微調整します。</translation>
    </message>
    <message>
        <source>Variational</source>
        <translation>変分 (VAE)</translation>
    </message>
    <message>
        <source>The encoder outputs a Gaussian and a KL term pulls it towards N(0, I), which makes the latent space smooth enough to sample from.</source>
        <translation>エンコーダはガウス分布を出力し、KL 項がそれを N(0, I) に近づけます。これにより潜在空間が滑らかになり、そこからサンプリングできます。</translation>
    </message>
    <message>
        <source>GAN</source>
        <translation>GAN</translation>
    </message>
    <message>
        <source>A generator and a discriminator are trained against each other; the generator learns to produce samples the discriminator cannot tell from data.</source>
        <translation>生成器と識別器を互いに競わせて学習します。生成器は、識別器が本物のデータと区別できないサンプルを作ることを学びます。</translation>
    </message>
    <message>
        <source>The size of the code; at least the input size lets a plain autoencoder learn the identity and nothing else.</source>
        <translation>符号(潜在変数)の次元数です。入力の次元数以上にすると、素のオートエンコーダは恒等写像を学ぶだけで何も学習しません。</translation>
    </message>
    <message>
        <source>Widths of the hidden layers of the encoder, mirrored in the decoder, comma-separated (e.g. 256, 128).</source>
        <translation>エンコーダの隠れ層の幅をカンマ区切りで指定します(例: 256, 128)。デコーダは逆順の幅になります。</translation>
    </message>
    <message>
        <source>The non-linearity between layers; without one the model can only learn a linear subspace, like PCA.</source>
        <translation>層の間の非線形関数です。非線形性がなければ、PCA と同じく線形部分空間しか学習できません。</translation>
    </message>
    <message>
        <source>Squared error is the Gaussian negative log-likelihood, binary cross-entropy the Bernoulli one for data in [0, 1]; auto picks by the data&apos;s range.</source>
        <translation>二乗誤差はガウス分布の負の対数尤度、二値交差エントロピーは [0, 1] のデータに対するベルヌーイ分布の負の対数尤度です。「自動」はデータの値域で選びます。</translation>
    </message>
    <message>
        <source>Output channels of each convolution (stride 2), comma-separated.</source>
        <translation>各畳み込み層(ストライド 2)の出力チャネル数をカンマ区切りで指定します。</translation>
    </message>
    <message>
        <source>The corruption: Gaussian noise, uniform noise when the noise distribution is unknown, or masking a fraction of the inputs to zero.</source>
        <translation>入力の劣化のさせ方: ガウスノイズ、ノイズの分布が未知のときの一様ノイズ、または入力の一部をゼロにするマスクです。</translation>
    </message>
    <message>
        <source>Standard deviation (Gaussian), half-width (uniform) or masked fraction.</source>
        <translation>標準偏差(ガウス)、半幅(一様)、またはマスクする割合です。</translation>
    </message>
    <message>
        <source>L1 penalises the code&apos;s absolute activations; KL pulls each unit&apos;s mean firing rate towards a small target rate.</source>
        <translation>L1 は符号の活性の絶対値に罰則を課し、KL は各ユニットの平均発火率を小さな目標値へ近づけます。</translation>
    </message>
    <message>
        <source>How much the sparsity penalty weighs against the reconstruction error.</source>
        <translation>再構成誤差に対するスパース性罰則の重みです。</translation>
    </message>
    <message>
        <source>The target mean activation of each code unit (KL only).</source>
        <translation>各符号ユニットの目標平均活性です(KL のみ)。</translation>
    </message>
    <message>
        <source>The code&apos;s activation under L1 (L1 only). softplus: smooth and positive, a unit pushed to zero for every sample can still come back. relu: exact zeros, but a unit silenced for every sample stays silent (with 2 units both can die). Runs saved before the choice existed used relu.</source>
        <translation>L1 のもとでのコードの活性化関数 (L1 のみ)。softplus: 滑らかで正の値をとり、すべてのサンプルでゼロへ押しやられたユニットも戻ることができます。relu: 厳密なゼロになりますが、すべてのサンプルで沈黙したユニットは沈黙したままです (ユニットが 2 つだと両方が死ぬことがあります)。この選択ができる前に保存された実行は relu を使っていました。</translation>
    </message>
    <message>
        <source>Epochs of greedy pre-training for each layer before the end-to-end fine-tuning.</source>
        <translation>エンドツーエンドの微調整の前に、各層の貪欲な事前学習に使うエポック数です。</translation>
    </message>
    <message>
        <source>Weight of the KL term: above 1 favours a disentangled, smoother latent space at the cost of reconstruction (β-VAE).</source>
        <translation>KL 項の重みです。1 より大きくすると、再構成の精度と引き換えに、より滑らかで因子が分離した潜在空間になります(β-VAE)。</translation>
    </message>
    <message>
        <source>Discriminator updates per batch; more keeps the discriminator ahead, which gives the generator useful gradients.</source>
        <translation>バッチごとの識別器の更新回数です。多くすると識別器が先行し、生成器に有用な勾配を与えます。</translation>
    </message>
    <message>
        <source>Generator updates per batch.</source>
        <translation>バッチごとの生成器の更新回数です。</translation>
    </message>
    <message>
        <source>auto</source>
        <extracomment>The shown names of option values (the values themselves are the config&apos;s words).</extracomment>
        <translation>自動</translation>
    </message>
    <message>
        <source>squared error (mse)</source>
        <translation>二乗誤差 (mse)</translation>
    </message>
    <message>
        <source>binary cross-entropy (bce)</source>
        <translation>二値交差エントロピー (bce)</translation>
    </message>
    <message>
        <source>absolute error (l1)</source>
        <translation>絶対誤差 (l1)</translation>
    </message>
    <message>
        <source>Gaussian</source>
        <translation>ガウス</translation>
    </message>
    <message>
        <source>uniform</source>
        <translation>一様</translation>
    </message>
    <message>
        <source>mask</source>
        <translation>マスク</translation>
    </message>
    <message>
        <source>KL to a target rate (kl)</source>
        <translation>目標発火率への KL (kl)</translation>
    </message>
    <message>
        <source>L1 on activations (l1)</source>
        <extracomment>The sparsity penalty&apos;s L1 (the loss&apos;s &quot;l1&quot; is absolute error).</extracomment>
        <translation>活性の L1 (l1)</translation>
    </message>
    <message>
        <source>{0} must be whole numbers separated by commas, not {1}</source>
        <extracomment>The settings key that remembers whether the theory is folded away.</extracomment>
        <translation>{0}はカンマ区切りの整数で指定してください({1} は不可)</translation>
    </message>
    <message>
        <source>{0} must be positive, got {1}</source>
        <translation>{0}は正の数でなければなりません({1} が指定されました)</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>種類</translation>
    </message>
    <message>
        <source>Latent size</source>
        <translation>潜在次元</translation>
    </message>
    <message>
        <source>Hidden sizes</source>
        <translation>隠れ層のサイズ</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>活性化関数</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>損失関数</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>チャネル数</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>ノイズ</translation>
    </message>
    <message>
        <source>Noise level</source>
        <translation>ノイズの強さ</translation>
    </message>
    <message>
        <source>Sparsity</source>
        <translation>スパース性</translation>
    </message>
    <message>
        <source>Sparsity weight</source>
        <translation>スパース性の重み</translation>
    </message>
    <message>
        <source>Target rate</source>
        <translation>目標発火率</translation>
    </message>
    <message>
        <source>Code (L1)</source>
        <translation>コード (L1)</translation>
    </message>
    <message>
        <source>Epochs per stage</source>
        <translation>段階ごとのエポック数</translation>
    </message>
    <message>
        <source>β (KL weight)</source>
        <translation>β(KL の重み)</translation>
    </message>
    <message>
        <source>D steps</source>
        <translation>識別器の更新回数</translation>
    </message>
    <message>
        <source>G steps</source>
        <translation>生成器の更新回数</translation>
    </message>
    <message>
        <source>Theory: what this model does</source>
        <extracomment>The theory of the chosen model: a header that folds it away, and the text.</extracomment>
        <translation>理論: このモデルの仕組み</translation>
    </message>
    <message>
        <source>Show or hide the explanation of the chosen model and options</source>
        <translation>選んだモデルとオプションの説明を表示/非表示にします</translation>
    </message>
    <message>
        <source>hidden sizes</source>
        <translation>隠れ層のサイズ</translation>
    </message>
    <message>
        <source>convolution channels</source>
        <translation>畳み込みのチャネル数</translation>
    </message>
    <message>
        <source>latent size {0} is at least the input size {1} and nothing else regularises the model: it can learn the identity and reach zero error while learning nothing. Use a smaller latent, or a sparse or denoising model.</source>
        <translation>潜在次元 {0} が入力の次元 {1} 以上で、ほかに正則化もありません。モデルは恒等写像を学んで誤差ゼロに達し、何も学習しないおそれがあります。潜在次元を小さくするか、スパースまたはデノイジングのモデルを使ってください。</translation>
    </message>
</context>
<context>
    <name>OneClassTableDialog</name>
    <message>
        <source>One-class table</source>
        <extracomment>Progress bar resolution per class. Column titles of the published figures.</extracomment>
        <translation>1 クラス表</translation>
    </message>
    <message>
        <source>all, or for example 0, 2, 5</source>
        <extracomment>The table measured (or being measured); None before the first Start.</extracomment>
        <translation>all、または例えば 0, 2, 5</translation>
    </message>
    <message>
        <source>The classes to take in turn as the normal one</source>
        <translation>順に正常クラスとするクラス</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV に書き出す…</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>クラス</translation>
    </message>
    <message>
        <source>Each class of {0} in turn is the normal one: a {1} model with latent size {2} and the Training panel&apos;s settings trains on that class alone, and its reconstruction error scores every held-out sample (the other classes are the anomalies). ROC AUC beside PCA with {2} components.</source>
        <translation>{0} の各クラスを順に正常クラスとします。潜在次元 {2} の{1}モデルを学習パネルの設定でそのクラスだけで学習し、その再構成誤差で検証用のすべてのサンプルを採点します(他のクラスが異常)。{2} 成分の PCA と ROC AUC を並べて示します。</translation>
    </message>
    <message>
        <source>No class {0}: the classes are 0 to {1}.</source>
        <translation>クラス {0} はありません。クラスは 0 から {1} です。</translation>
    </message>
    <message>
        <source>Training class {0} …</source>
        <translation>クラス {0} を学習中…</translation>
    </message>
    <message>
        <source>Stopping …</source>
        <translation>停止中…</translation>
    </message>
    <message>
        <source>Training class {0} ({1} of {2}) …</source>
        <translation>クラス {0} を学習中({1}/{2})…</translation>
    </message>
    <message>
        <source>The table could not be measured: {0}</source>
        <translation>表を測定できませんでした: {0}</translation>
    </message>
    <message>
        <source>Cancelled after {0} of {1} classes.</source>
        <translation>{1} クラス中 {0} クラスで中止しました。</translation>
    </message>
    <message>
        <source>Done: {0} classes.</source>
        <translation>完了: {0} クラス。</translation>
    </message>
    <message>
        <source>normal class</source>
        <translation>正常クラス</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>平均</translation>
    </message>
    <message>
        <source>Published figures: {0}. Means over the classes measured.</source>
        <translation>公表値: {0}。平均は測定したクラスについてのものです。</translation>
    </message>
    <message>
        <source>ROC AUC; means over the classes measured.</source>
        <translation>ROC AUC。平均は測定したクラスについてのものです。</translation>
    </message>
    <message>
        <source>Export one-class table</source>
        <translation>1 クラス表を書き出す</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>書き出しに失敗しました</translation>
    </message>
</context>
<context>
    <name>PcaView</name>
    <message>
        <source>Start training to fit the PCA baseline.</source>
        <translation>学習を開始すると PCA ベースラインを当てはめます。</translation>
    </message>
    <message>
        <source>Explained variance per component</source>
        <translation>成分ごとの寄与率</translation>
    </message>
    <message>
        <source>component</source>
        <translation>成分</translation>
    </message>
    <message>
        <source>share of variance</source>
        <translation>分散の割合</translation>
    </message>
    <message>
        <source>Cumulative explained variance</source>
        <translation>累積寄与率</translation>
    </message>
    <message>
        <source>components</source>
        <translation>成分数</translation>
    </message>
    <message>
        <source>Reconstruction MSE by components</source>
        <translation>成分数ごとの再構成 MSE</translation>
    </message>
    <message>
        <source>components k</source>
        <translation>成分数 k</translation>
    </message>
    <message>
        <source>model (latest)</source>
        <translation>モデル(最新)</translation>
    </message>
    <message>
        <source>Principal angles: decoder vs PCA</source>
        <translation>主角: デコーダ対 PCA</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>エポック</translation>
    </message>
    <message>
        <source>angle (degrees)</source>
        <translation>角度(度)</translation>
    </message>
    <message>
        <source>largest</source>
        <translation>最大</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>平均</translation>
    </message>
    <message>
        <source>smallest</source>
        <translation>最小</translation>
    </message>
    <message>
        <source>Principal angles appear for linear models
(snapshots with the decoder&apos;s basis).</source>
        <translation>主角は線形モデルで表示されます
(デコーダの基底を含むスナップショット)。</translation>
    </message>
    <message>
        <source>This run has no PCA baseline.</source>
        <translation>この実行には PCA ベースラインがありません。</translation>
    </message>
    <message>
        <source>PCA with {0} components keeps {1}% of the variance, MSE {2}</source>
        <translation>{0} 成分の PCA は分散の {1}% を保持、MSE {2}</translation>
    </message>
    <message>
        <source>model at epoch {0}: MSE {1}</source>
        <translation>エポック {0} のモデル: MSE {1}</translation>
    </message>
    <message>
        <source>largest principal angle {0}°</source>
        <translation>最大の主角 {0}°</translation>
    </message>
    <message>
        <source>runs: autoencoders</source>
        <translation>実行: オートエンコーダ</translation>
    </message>
    <message>
        <source>runs: linear</source>
        <translation>実行: 線形</translation>
    </message>
</context>
<context>
    <name>PreparationBox</name>
    <message>
        <source>auto ([0, 1] data kept, others z-scored)</source>
        <extracomment>The data set&apos;s own preparation: what a DataSpec holds by default. The normal-class combo&apos;s item data for &quot;every class&quot; (None does not survive a QVariant). Asked before a change is taken; False puts the old choice back.</extracomment>
        <translation>自動([0, 1] のデータはそのまま、それ以外は標準化)</translation>
    </message>
    <message>
        <source>none (values as loaded)</source>
        <translation>なし(読み込んだ値のまま)</translation>
    </message>
    <message>
        <source>min-max to [0, 1]</source>
        <translation>最小・最大で [0, 1] に正規化</translation>
    </message>
    <message>
        <source>z-score (mean 0, deviation 1)</source>
        <translation>標準化(平均 0、標準偏差 1)</translation>
    </message>
    <message>
        <source>How the values are scaled before training; a divergent run often trains with z-scored data</source>
        <translation>学習前に値をどう尺度変換するかです。発散する学習も、標準化したデータなら学習できることがよくあります</translation>
    </message>
    <message>
        <source>Train on this class only, the normal one (one-class anomaly detection); validation and the Anomalies view still see every class. Only for data with labels.</source>
        <translation>このクラス(正常クラス)だけで学習します(1 クラス異常検知)。検証と「異常検知」タブでは全クラスを使います。ラベル付きのデータでのみ使えます。</translation>
    </message>
    <message>
        <source>Normalisation</source>
        <translation>正規化</translation>
    </message>
    <message>
        <source>Normal class</source>
        <translation>正常クラス</translation>
    </message>
    <message>
        <source>none: train on every class</source>
        <translation>なし: 全クラスで学習</translation>
    </message>
</context>
<context>
    <name>ReconstructionsView</name>
    <message>
        <source>input</source>
        <extracomment>The titles of the image columns and rows, translated when shown.</extracomment>
        <translation>入力</translation>
    </message>
    <message>
        <source>clean input</source>
        <translation>元の入力</translation>
    </message>
    <message>
        <source>noisy</source>
        <translation>ノイズあり</translation>
    </message>
    <message>
        <source>noisy input</source>
        <translation>ノイズのある入力</translation>
    </message>
    <message>
        <source>autoencoder</source>
        <translation>オートエンコーダ</translation>
    </message>
    <message>
        <source>denoised</source>
        <translation>ノイズ除去後</translation>
    </message>
    <message>
        <source>pca</source>
        <translation>PCA</translation>
    </message>
    <message>
        <source>prior</source>
        <translation>事前分布</translation>
    </message>
    <message>
        <source>autoencoder error</source>
        <translation>オートエンコーダの誤差</translation>
    </message>
    <message>
        <source>pca error</source>
        <translation>PCA の誤差</translation>
    </message>
    <message>
        <source>No snapshot yet: start training to see reconstructions.</source>
        <translation>スナップショットはまだありません。学習を開始すると再構成が表示されます。</translation>
    </message>
    <message>
        <source>feature</source>
        <translation>特徴量</translation>
    </message>
    <message>
        <source>MSE per sample</source>
        <translation>サンプルごとの MSE</translation>
    </message>
    <message>
        <source>sample</source>
        <translation>サンプル</translation>
    </message>
    <message>
        <source>PCA, {0} components</source>
        <translation>PCA({0} 成分)</translation>
    </message>
    <message>
        <source>PCA: not available</source>
        <translation>PCA: 利用できません</translation>
    </message>
    <message>
        <source>sample {0} · AE MSE {1}</source>
        <translation>サンプル {0} · AE MSE {1}</translation>
    </message>
    <message>
        <source>{0} samples from the prior N(0, I)</source>
        <translation>事前分布 N(0, I) からの {0} 個のサンプル</translation>
    </message>
    <message>
        <source>{0} of {1}</source>
        <translation>{1} のうち {0} 個</translation>
    </message>
    <message>
        <source>epoch {0} · {1} fixed samples · autoencoder MSE {2}</source>
        <translation>エポック {0} · 固定サンプル {1} 個 · オートエンコーダ MSE {2}</translation>
    </message>
</context>
<context>
    <name>RunComparison</name>
    <message>
        <source>Runs</source>
        <extracomment>Milliseconds between two polls of the compared runs.</extracomment>
        <translation>実行</translation>
    </message>
    <message>
        <source>Runs table</source>
        <translation>実行の一覧表</translation>
    </message>
    <message>
        <source>Add runs to &amp;compare…</source>
        <translation>比較する実行を追加(&amp;C)…</translation>
    </message>
    <message>
        <source>Open run directories or a sweep folder side by side</source>
        <translation>実行ディレクトリまたはスイープのフォルダを開いて並べて比較します</translation>
    </message>
    <message>
        <source>Add runs to compare</source>
        <translation>比較する実行を追加</translation>
    </message>
    <message>
        <source>Cannot open these runs</source>
        <translation>これらの実行を開けません</translation>
    </message>
    <message>
        <source>this window</source>
        <translation>このウィンドウ</translation>
    </message>
</context>
<context>
    <name>RunFollowing</name>
    <message>
        <source>Open &amp;run directory…</source>
        <extracomment>Milliseconds between two polls of the followed run. Running workers by number; their ``finished`` removes them.</extracomment>
        <translation>実行ディレクトリを開く(&amp;R)…</translation>
    </message>
    <message>
        <source>Follow a run that aeviewer train writes (here or elsewhere)</source>
        <translation>aeviewer train が書き込む実行を追跡します(このマシンでも他のマシンでも)</translation>
    </message>
    <message>
        <source>Open run directory</source>
        <translation>実行ディレクトリを開く</translation>
    </message>
    <message>
        <source>following a run directory</source>
        <translation>実行ディレクトリの追跡</translation>
    </message>
    <message>
        <source>Cannot open the run</source>
        <translation>実行を開けません</translation>
    </message>
    <message>
        <source>aeviewer — following {0}</source>
        <translation>aeviewer — {0} を追跡中</translation>
    </message>
    <message>
        <source>Cannot follow the run</source>
        <translation>実行を追跡できません</translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <source>Run</source>
        <translation>実行</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Add runs…</source>
        <translation>実行を追加…</translation>
    </message>
    <message>
        <source>Add a run directory or a folder of runs (a sweep)</source>
        <translation>実行ディレクトリ、または実行をまとめたフォルダ(スイープ)を追加します</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>the run of this window</source>
        <translation>このウィンドウの実行</translation>
    </message>
</context>
<context>
    <name>RunsTable</name>
    <message>
        <source>run</source>
        <extracomment>Column headings of the figures (settings keep their config names).</extracomment>
        <translation>実行</translation>
    </message>
    <message>
        <source>status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>data</source>
        <translation>データ</translation>
    </message>
    <message>
        <source>model MSE</source>
        <translation>モデル MSE</translation>
    </message>
    <message>
        <source>PCA MSE</source>
        <translation>PCA MSE</translation>
    </message>
    <message>
        <source>model / PCA</source>
        <translation>モデル / PCA</translation>
    </message>
    <message>
        <source>model AUC</source>
        <translation>モデル AUC</translation>
    </message>
    <message>
        <source>PCA AUC</source>
        <translation>PCA AUC</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>エポック数</translation>
    </message>
    <message>
        <source>samples/s</source>
        <translation>サンプル/秒</translation>
    </message>
    <message>
        <source>wall time (s)</source>
        <translation>経過時間(秒)</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV に書き出す…</translation>
    </message>
    <message>
        <source>The runs were trained on different data</source>
        <translation>これらの実行は異なるデータで学習されています</translation>
    </message>
    <message>
        <source>Runs on different data sets: compare their figures with care.</source>
        <translation>データセットの異なる実行です。数値の比較には注意してください。</translation>
    </message>
    <message>
        <source>Export runs table</source>
        <translation>実行の一覧表を書き出す</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>書き出しに失敗しました</translation>
    </message>
</context>
<context>
    <name>SamplePanel</name>
    <message>
        <source>Hover a point</source>
        <translation>点にカーソルを合わせてください</translation>
    </message>
    <message>
        <source>sample</source>
        <translation>サンプル</translation>
    </message>
    <message>
        <source>reconstruction</source>
        <translation>再構成</translation>
    </message>
    <message>
        <source>Selection: none</source>
        <translation>選択: なし</translation>
    </message>
    <message>
        <source>A ← selected</source>
        <translation>A ← 選択中</translation>
    </message>
    <message>
        <source>B ← selected</source>
        <translation>B ← 選択中</translation>
    </message>
    <message>
        <source>Interpolation A → B</source>
        <translation>補間 A → B</translation>
    </message>
    <message>
        <source>decoded</source>
        <translation>復号</translation>
    </message>
    <message>
        <source> (first {0} shown)</source>
        <translation>(最初の {0} 個を表示)</translation>
    </message>
    <message>
        <source>Selection: {0} samples</source>
        <translation>選択: {0} サンプル</translation>
    </message>
</context>
<context>
    <name>SessionActions</name>
    <message>
        <source>note: {0} as prepared here differs from the data it was trained on, so its errors are not its training figures</source>
        <extracomment>Snapshots kept in memory for a session (a session file keeps at most its own limit). Autosave after every this many epochs, and whenever a run pauses or ends.</extracomment>
        <translation>注意: ここで前処理した {0} は学習に使われたデータと異なるため、誤差は学習時の値ではありません</translation>
    </message>
    <message>
        <source>Open &amp;session…</source>
        <extracomment>The running workers by number (their ``finished`` removes them).</extracomment>
        <translation>セッションを開く(&amp;S)…</translation>
    </message>
    <message>
        <source>Sa&amp;ve session…</source>
        <translation>セッションを保存(&amp;V)…</translation>
    </message>
    <message>
        <source>Open &amp;model…</source>
        <translation>モデルを開く(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Export model…</source>
        <translation>モデルを書き出す(&amp;E)…</translation>
    </message>
    <message>
        <source>Export &amp;data…</source>
        <translation>データを書き出す(&amp;D)…</translation>
    </message>
    <message>
        <source>Export for the Embedding &amp;Projector…</source>
        <translation>Embedding Projector 用に書き出す(&amp;P)…</translation>
    </message>
    <message>
        <source>File</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <source>Follow run</source>
        <translation>実行を追跡</translation>
    </message>
    <message>
        <source>Save session</source>
        <translation>セッションを保存</translation>
    </message>
    <message>
        <source>no data set is loaded, so there is nothing to save</source>
        <translation>データセットが読み込まれていないため、保存するものがありません</translation>
    </message>
    <message>
        <source>Cannot save the session</source>
        <translation>セッションを保存できません</translation>
    </message>
    <message>
        <source>Session saved to {0}</source>
        <translation>セッションを {0} に保存しました</translation>
    </message>
    <message>
        <source>Open session</source>
        <translation>セッションを開く</translation>
    </message>
    <message>
        <source>opening a session</source>
        <translation>セッションを開くこと</translation>
    </message>
    <message>
        <source>Cannot open the session</source>
        <translation>セッションを開けません</translation>
    </message>
    <message>
        <source>Session opened from {0}</source>
        <translation>セッションを {0} から開きました</translation>
    </message>
    <message>
        <source>The session&apos;s data differ</source>
        <translation>セッションのデータが異なります</translation>
    </message>
    <message>
        <source>Export model</source>
        <translation>モデルを書き出す</translation>
    </message>
    <message>
        <source>Cannot export the model</source>
        <translation>モデルを書き出せません</translation>
    </message>
    <message>
        <source>there is no model yet; train or open one</source>
        <translation>モデルがまだありません。学習するか、モデルを開いてください</translation>
    </message>
    <message>
        <source>Model exported to {0}</source>
        <translation>モデルを {0} に書き出しました</translation>
    </message>
    <message>
        <source>Open model</source>
        <translation>モデルを開く</translation>
    </message>
    <message>
        <source>Cannot open the model</source>
        <translation>モデルを開けません</translation>
    </message>
    <message>
        <source>load a data set first</source>
        <translation>先にデータセットを読み込んでください</translation>
    </message>
    <message>
        <source>opening a model</source>
        <translation>モデルを開くこと</translation>
    </message>
    <message>
        <source>Model opened from {0}</source>
        <translation>モデルを {0} から開きました</translation>
    </message>
    <message>
        <source>Export data</source>
        <translation>データを書き出す</translation>
    </message>
    <message>
        <source>Cannot export the data</source>
        <translation>データを書き出せません</translation>
    </message>
    <message>
        <source>there is no snapshot yet</source>
        <translation>スナップショットがまだありません</translation>
    </message>
    <message>
        <source>Data exported to {0}</source>
        <translation>データを {0} に書き出しました</translation>
    </message>
    <message>
        <source>Folder for the Embedding Projector files</source>
        <translation>Embedding Projector 用ファイルのフォルダ</translation>
    </message>
    <message>
        <source>Embedding Projector files written to {0}</source>
        <translation>Embedding Projector 用ファイルを {0} に書き出しました</translation>
    </message>
    <message>
        <source>Autosave failed</source>
        <translation>自動保存に失敗しました</translation>
    </message>
</context>
<context>
    <name>Theory</name>
    <message>
        <source>&lt;b&gt;Autoencoder.&lt;/b&gt; x̂ = dec(enc(x)) is trained without labels, with the input as its own target. Only the bottleneck makes this useful: a code narrower than the input forces the model to keep what matters. &lt;i&gt;Look for:&lt;/i&gt; in Loss, the validation error approaching the PCA baseline of the same size (a non-linear model can go below it); in Latent space, classes gathering into clusters.</source>
        <extracomment>Family -&gt; what it is and what to look for now.</extracomment>
        <translation>&lt;b&gt;オートエンコーダ(自己符号化器)。&lt;/b&gt; x̂ = dec(enc(x)) を、ラベルなしで入力そのものを目標として学習します。これが意味を持つのはボトルネックがあるからです。入力より狭い符号が、重要な情報だけを残すことをモデルに強います。&lt;i&gt;注目点:&lt;/i&gt; 「損失」タブで検証誤差が同じ次元の PCA ベースラインに近づくこと(非線形モデルはそれを下回りうる)、「潜在空間」タブでクラスがクラスタにまとまっていくこと。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Linear autoencoder.&lt;/b&gt; With no non-linearities and squared error it spans the same subspace as PCA with as many components, and its error approaches PCA&apos;s, the lowest any rank-k linear map can reach. Its axes need not be PCA&apos;s: only the subspace is the same. &lt;i&gt;Look for:&lt;/i&gt; in PCA baseline, the principal angles between the decoder and PCA falling to zero; in Loss, the error meeting the PCA line from above, never below it.</source>
        <translation>&lt;b&gt;線形オートエンコーダ。&lt;/b&gt; 非線形性がなく二乗誤差で学習すると、同じ成分数の主成分分析 (PCA) と同じ部分空間を張り、誤差は PCA の誤差、すなわち階数 k の線形写像が到達できる最小値に近づきます。軸そのものは PCA の主成分と一致するとは限らず、一致するのは部分空間です。&lt;i&gt;注目点:&lt;/i&gt; 「PCA ベースライン」タブでデコーダと PCA の間の主角(principal angles)がゼロへ下がっていくこと、「損失」タブで誤差が上から PCA の線に近づき、下回らないこと。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Convolutional autoencoder.&lt;/b&gt; Convolutions share their weights across positions, so a local pattern (an edge, a stroke) is learned once for the whole image, with far fewer parameters than dense layers. &lt;i&gt;Look for:&lt;/i&gt; in Reconstructions, sharp edges appearing early; in Loss, the error going below the PCA baseline of the same latent size.</source>
        <translation>&lt;b&gt;畳み込みオートエンコーダ。&lt;/b&gt; 畳み込みは位置をまたいで重みを共有するので、局所的なパターン(輪郭や筆画)を画像全体について一度に学習でき、全結合層よりはるかに少ないパラメータで済みます。&lt;i&gt;注目点:&lt;/i&gt; 「再構成」タブで早い段階から輪郭がくっきり現れること、「損失」タブで誤差が同じ潜在次元の PCA ベースラインを下回ること。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Sparse autoencoder.&lt;/b&gt; A penalty drives the hidden activations (not the weights) towards zero, so each input uses only a few code units, and even a code as wide as the input cannot simply copy it. &lt;i&gt;Look for:&lt;/i&gt; in Latent space, most coordinates near zero for each sample; in Loss, a little more reconstruction error than a plain model, the price of the penalty.</source>
        <translation>&lt;b&gt;スパースオートエンコーダ。&lt;/b&gt; 罰則項が(重みではなく)隠れ層の活性をゼロへ近づけるため、各入力はわずかな符号ユニットしか使わず、入力と同じ幅の符号でも入力をそのままコピーできません。&lt;i&gt;注目点:&lt;/i&gt; 「潜在空間」タブで各サンプルの座標の大半がゼロ付近になること、「損失」タブで罰則の代償として素のモデルより再構成誤差がやや大きくなること。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Denoising autoencoder.&lt;/b&gt; The input is corrupted with noise of a known distribution (uniform noise when the distribution is unknown) and the model must reconstruct the clean input, so it cannot copy: it learns to pull corrupted points back onto the data. &lt;i&gt;Look for:&lt;/i&gt; in Reconstructions, clean outputs for noisy inputs; in Loss, the error measured against the clean data falling.</source>
        <translation>&lt;b&gt;デノイジングオートエンコーダ。&lt;/b&gt; 入力を既知の分布のノイズ(分布が未知なら一様ノイズ)で劣化させ、元のきれいな入力を再構成させます。コピーでは解けないので、劣化した点をデータの上へ引き戻すことを学習します。&lt;i&gt;注目点:&lt;/i&gt; 「再構成」タブでノイズのある入力からきれいな出力が得られること、「損失」タブできれいなデータに対する誤差が下がっていくこと。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Stacked autoencoder.&lt;/b&gt; Greedy layer-wise pre-training: one shallow autoencoder per layer, each trained on the codes of the previous one, then end-to-end fine-tuning of the whole stack (how deep networks were first trained). &lt;i&gt;Look for:&lt;/i&gt; in Loss, a step at each change of stage and a further drop once fine-tuning starts.</source>
        <translation>&lt;b&gt;積層オートエンコーダ。&lt;/b&gt; 貪欲な層ごとの事前学習: 層ごとに浅いオートエンコーダを用意し、前の層の符号で順に学習したあと、積み重ねた全体をエンドツーエンドで微調整します(深いネットワークが初めて学習できるようになった方法です)。&lt;i&gt;注目点:&lt;/i&gt; 「損失」タブで段階が切り替わるたびに段差が現れ、微調整が始まるとさらに下がること。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Variational autoencoder.&lt;/b&gt; The probabilistic reading: the encoder outputs a Gaussian q(z|x), the decoder a likelihood p(x|z), and training maximises the ELBO, E[log p(x|z)] − β·KL(q(z|x) ‖ N(0, I)). The KL term keeps the codes close to the prior, so decoding z ~ N(0, I) gives new data. &lt;i&gt;Look for:&lt;/i&gt; in Loss, reconstruction and KL trading off; in Latent space, a round cloud around the origin; in Reconstructions, the samples from the prior.</source>
        <translation>&lt;b&gt;変分オートエンコーダ (VAE)。&lt;/b&gt; 確率モデルとしての解釈です。エンコーダはガウス分布 q(z|x) を、デコーダは尤度 p(x|z) を出力し、学習では証拠下界 ELBO = E[log p(x|z)] − β·KL(q(z|x) ‖ N(0, I)) を最大化します。KL 項が符号を事前分布の近くに保つので、z ~ N(0, I) を復号すると新しいデータが得られます。&lt;i&gt;注目点:&lt;/i&gt; 「損失」タブで再構成項と KL 項のトレードオフ、「潜在空間」タブで原点のまわりの丸い点群、「再構成」タブで事前分布からのサンプル。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Generative adversarial network.&lt;/b&gt; Two players: a generator turns noise into samples and a discriminator tells data from generated samples; each is trained against the other. There is no encoder and no reconstruction error. &lt;i&gt;Look for:&lt;/i&gt; in GAN, the discriminator&apos;s mean output on real and on generated data both nearing 0.5 while the samples become data-like; outputs stuck near 0 and 1 mean the discriminator has won and the generator gets no useful gradient.</source>
        <translation>&lt;b&gt;敵対的生成ネットワーク (GAN)。&lt;/b&gt; 二人のプレイヤーからなります。生成器はノイズからサンプルを作り、識別器は本物のデータと生成されたサンプルを見分けます。両者は互いに競い合って学習します。エンコーダも再構成誤差もありません。&lt;i&gt;注目点:&lt;/i&gt; 「GAN」タブで、本物と生成サンプルに対する識別器の平均出力がともに 0.5 に近づき、サンプルがデータらしくなっていくこと。出力が 0 と 1 に張り付いたら識別器が勝ちすぎており、生成器には有用な勾配が届いていません。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Loss: auto&lt;/b&gt; picks binary cross-entropy, the negative log-likelihood of a Bernoulli, for data in [0, 1], and otherwise squared error, that of a Gaussian with fixed variance centred on the reconstruction.</source>
        <extracomment>Loss -&gt; the likelihood it is the negative log of.</extracomment>
        <translation>&lt;b&gt;損失関数「自動」&lt;/b&gt;は、[0, 1] のデータにはベルヌーイ分布の負の対数尤度である二値交差エントロピーを、それ以外には再構成を中心とする分散固定のガウス分布の負の対数尤度である二乗誤差を選びます。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Squared error&lt;/b&gt; is the negative log-likelihood of a Gaussian with fixed variance centred on the reconstruction: minimising it is maximum likelihood. It suits unbounded real data, with an identity output.</source>
        <translation>&lt;b&gt;二乗誤差&lt;/b&gt;は、再構成を中心とする分散固定のガウス分布の負の対数尤度です。これを最小化することは最尤推定にあたります。値域に制限のない実数データに向き、出力層は恒等関数にします。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Binary cross-entropy&lt;/b&gt; is the negative log-likelihood of a Bernoulli distribution: for data in [0, 1], with a sigmoid output.</source>
        <translation>&lt;b&gt;二値交差エントロピー&lt;/b&gt;は、ベルヌーイ分布の負の対数尤度です。[0, 1] のデータ向けで、出力層はシグモイドにします。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Absolute error&lt;/b&gt; is the negative log-likelihood of a Laplace distribution: large errors weigh less than with squared error, so outliers pull less.</source>
        <translation>&lt;b&gt;絶対誤差&lt;/b&gt;は、ラプラス分布の負の対数尤度です。大きな誤差の重みが二乗誤差より小さいため、外れ値の影響を受けにくくなります。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Gaussian noise&lt;/b&gt; x + ε, ε ~ N(0, σ²): the right corruption when the noise the data will meet is known to be Gaussian; the noise level is σ.</source>
        <extracomment>Noise kind of the denoising autoencoder -&gt; what it assumes.</extracomment>
        <translation>&lt;b&gt;ガウスノイズ&lt;/b&gt; x + ε, ε ~ N(0, σ²): データが受けるノイズがガウス分布だと分かっているときに適した劣化です。ノイズの強さは σ です。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Uniform noise&lt;/b&gt; in [−a, a]: the choice when the noise distribution is unknown, as it assumes the least; the noise level is a.</source>
        <translation>&lt;b&gt;一様ノイズ&lt;/b&gt;([−a, a]): ノイズの分布が未知のとき、仮定が最も少ない選択です。ノイズの強さは a です。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Masking&lt;/b&gt; sets a random fraction of the inputs to zero; the model must fill them in from the rest, as in inpainting.</source>
        <translation>&lt;b&gt;マスク&lt;/b&gt;は入力のランダムな一部をゼロにします。モデルは、画像修復(インペインティング)のように残りから欠けた部分を埋めなければなりません。</translation>
    </message>
    <message>
        <source>&lt;b&gt;L1 penalty&lt;/b&gt; λ·Σ|h| on the code&apos;s activations h: many become exactly zero.</source>
        <extracomment>Sparsity penalty -&gt; its form.</extracomment>
        <translation>&lt;b&gt;L1 罰則&lt;/b&gt; λ·Σ|h| を符号の活性 h に課します。多くの活性がちょうどゼロになります。</translation>
    </message>
    <message>
        <source>&lt;b&gt;KL penalty&lt;/b&gt; λ·Σ KL(ρ ‖ ρ̂ⱼ) pulls each unit&apos;s mean activation ρ̂ⱼ towards the small target rate ρ: each unit fires for a few inputs only.</source>
        <translation>&lt;b&gt;KL 罰則&lt;/b&gt; λ·Σ KL(ρ ‖ ρ̂ⱼ) は、各ユニットの平均活性 ρ̂ⱼ を小さな目標発火率 ρ へ近づけます。各ユニットは一部の入力にしか反応しなくなります。</translation>
    </message>
    <message>
        <source>&lt;b&gt;β&lt;/b&gt; = 1 is the ELBO itself; β &amp;gt; 1 (β-VAE) weighs the KL more, for a smoother, more disentangled latent space and blurrier reconstructions.</source>
        <translation>&lt;b&gt;β&lt;/b&gt; = 1 のときが ELBO そのものです。β &amp;gt; 1(β-VAE)では KL 項を重く見るため、潜在空間はより滑らかで因子が分離したものになり、再構成はぼやけます。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Anomaly score.&lt;/b&gt; Reconstruction error is an anomaly score: train on normal data, then flag the inputs the model reconstructs badly. &lt;i&gt;Look for:&lt;/i&gt; in Anomalies, the errors of anomalies moving to the right of the normal ones and the ROC AUC rising, compared with PCA&apos;s.</source>
        <translation>&lt;b&gt;異常スコア。&lt;/b&gt; 再構成誤差は異常スコアになります。正常データで学習し、うまく再構成できない入力を異常とみなします。&lt;i&gt;注目点:&lt;/i&gt; 「異常検知」タブで異常データの誤差が正常データより右へ移っていき、ROC AUC が PCA と比べて上がっていくこと。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Bottleneck.&lt;/b&gt; The latent size {0} against the input size {1}: a latent at least as large as the input lets a plain autoencoder learn the identity and reach zero error while learning nothing.</source>
        <translation>&lt;b&gt;ボトルネック。&lt;/b&gt; 潜在次元 {0}、入力の次元 {1}。潜在次元が入力の次元以上だと、素のオートエンコーダは恒等写像を学んで誤差ゼロに達し、何も学習しません。</translation>
    </message>
</context>
<context>
    <name>TrainingController</name>
    <message>
        <source>&amp;Start</source>
        <extracomment>Returns the config and data set of the next run; raises AeviewerError when they are invalid. The signals of let-go workers that have not reported ``finished`` yet. A worker built by Start while others wound down; started when they have ended. The state the next Start continues from (None: Start builds a new model). Builds the event source of a run; the real engine unless a test swaps it.</extracomment>
        <translation>開始</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>S&amp;tep one epoch</source>
        <translation>1 エポック進める</translation>
    </message>
    <message>
        <source>St&amp;op</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>&amp;Reset</source>
        <translation>リセット</translation>
    </message>
    <message>
        <source>Start / Pause</source>
        <translation>開始 / 一時停止</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>1 エポック</translation>
    </message>
    <message>
        <source>Train: a new model, or the current one further by the epochs set (Space)</source>
        <translation>学習します。新しいモデル、または現在のモデルを設定したエポック数だけさらに学習します(Space)</translation>
    </message>
    <message>
        <source>Pause or resume training (Space)</source>
        <translation>学習を一時停止または再開します(Space)</translation>
    </message>
    <message>
        <source>Train one more epoch, then pause (Ctrl+T)</source>
        <translation>もう 1 エポック学習して一時停止します(Ctrl+T)</translation>
    </message>
    <message>
        <source>End the run, keeping the model (Ctrl+.)</source>
        <translation>モデルを残したまま実行を終了します(Ctrl+.)</translation>
    </message>
    <message>
        <source>Throw the model away and start from scratch (Ctrl+R)</source>
        <translation>モデルを破棄して最初からやり直します(Ctrl+R)</translation>
    </message>
    <message>
        <source>this model cannot be continued (its training state was lost when it diverged); Reset to train a new one</source>
        <translation>このモデルは続きを学習できません(発散したときに学習状態が失われました)。リセットして新しいモデルを学習してください</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>再開</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>再開</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>Passes over the training split. auto: about 8,000 optimiser steps whatever the data size, stopping early once the validation loss stops improving (the best weights are kept). A number trains exactly that many epochs; after a run, Start trains that many more.</source>
        <translation>学習用データを何周するかです。自動(auto): データの大きさによらず約 8,000 回の最適化ステップを行い、検証損失が改善しなくなったら早期終了します(最良の重みを残します)。数値を指定するとちょうどそのエポック数だけ学習し、実行後に「開始」を押すとさらにその数だけ学習します。</translation>
    </message>
    <message>
        <source>How the learning rate moves: a short linear warm-up, then a half cosine down to zero (cosine), or constant. auto: cosine, constant for a GAN. The rate is drawn on the loss plot.</source>
        <translation>学習率の変化のさせ方: 短い線形ウォームアップのあと半周期のコサインでゼロまで下げる (cosine) か、一定 (constant) です。auto は cosine、GAN では constant です。学習率は損失のグラフに描かれます。</translation>
    </message>
    <message>
        <source>Steps of linear warm-up at the start of each stage (auto: 5% of the steps, at most 500).</source>
        <translation>各段階の最初に行う線形ウォームアップのステップ数です(自動: 全ステップの 5%、最大 500)。</translation>
    </message>
    <message>
        <source>Early stopping: epochs without a better validation loss before training stops and keeps the best weights. auto: on when Epochs is auto; 0 switches it off.</source>
        <translation>早期終了: 検証損失が改善しないまま何エポック続いたら学習を止めて最良の重みを残すかです。自動: エポック数が自動のときに有効。0 で無効になります。</translation>
    </message>
    <message>
        <source>bf16 trains under bfloat16 mixed precision (about twice as fast on CPUs with AVX512-BF16 or AMX and on recent GPUs); auto uses it only where it is fast.</source>
        <translation>bf16 は bfloat16 の混合精度で学習します(AVX512-BF16 や AMX を持つ CPU や最近の GPU では約 2 倍速)。auto は速くなる環境でのみ使います。</translation>
    </message>
    <message>
        <source>Clip the gradient&apos;s norm to this value before each step (off: no clipping); 1.0 often tames a diverging run.</source>
        <translation>各ステップの前に勾配のノルムをこの値で切り詰めます(なし: 切り詰めない)。発散する学習も 1.0 で落ち着くことがよくあります。</translation>
    </message>
    <message>
        <source>Samples per gradient step; smaller batches give noisier but more frequent updates.</source>
        <translation>勾配ステップあたりのサンプル数です。小さいバッチほど更新はノイズが多くなりますが、頻繁になります。</translation>
    </message>
    <message>
        <source>The optimiser&apos;s step size (the peak of the cosine schedule); it can change while training and the change is marked on the loss curve. auto: the rate that trains the family best with this optimiser and schedule, shown in brackets; the run records it.</source>
        <translation>最適化のステップ幅です(コサインスケジュールではその最大値)。学習中にも変更でき、変更は損失曲線に印が付きます。自動: このファミリーをこの最適化手法とスケジュールで最もよく学習させる学習率で、括弧内に表示されます。実行にはその値が記録されます。</translation>
    </message>
    <message>
        <source>The discriminator&apos;s step size (the learning rate above is the generator&apos;s); it can change while training too. auto: the generator&apos;s rate.</source>
        <translation>識別器のステップ幅です(上の学習率は生成器のもの)。これも学習中に変更できます。自動: 生成器の学習率と同じです。</translation>
    </message>
    <message>
        <source>Adam adapts a step size per parameter; SGD takes plain gradient steps.</source>
        <translation>Adam はパラメータごとにステップ幅を適応させ、SGD は単純な勾配ステップを取ります。</translation>
    </message>
    <message>
        <source>Seeds the weights&apos; initialisation and the batch order, so a run can be repeated.</source>
        <translation>重みの初期化とバッチの順序の乱数シードです。同じ実行を再現できます。</translation>
    </message>
    <message>
        <source>Where the model trains: this machine&apos;s CPU or a GPU it really has.</source>
        <translation>モデルを学習する場所: このマシンの CPU、または実際に搭載されている GPU です。</translation>
    </message>
    <message>
        <source>off</source>
        <extracomment>The order of the control buttons.</extracomment>
        <translation>なし</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>エポック数</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>バッチサイズ</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学習率</translation>
    </message>
    <message>
        <source>Discriminator lr</source>
        <translation>識別器の学習率</translation>
    </message>
    <message>
        <source>Optimiser</source>
        <translation>最適化手法</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>スケジュール</translation>
    </message>
    <message>
        <source>Warm-up steps</source>
        <translation>ウォームアップ</translation>
    </message>
    <message>
        <source>Early stopping</source>
        <translation>早期終了</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>Gradient clip</source>
        <translation>勾配クリップ</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>シード</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>デバイス</translation>
    </message>
    <message>
        <source>Generator lr</source>
        <translation>生成器の学習率</translation>
    </message>
    <message>
        <source>auto ({0})</source>
        <translation>自動 ({0})</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自動</translation>
    </message>
</context>
<context>
    <name>TrainingStatus</name>
    <message>
        <source>idle</source>
        <translation>待機中</translation>
    </message>
    <message>
        <source>running</source>
        <translation>学習中</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>一時停止中</translation>
    </message>
    <message>
        <source>stopping</source>
        <translation>停止中</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>終了</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>発散</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>stalled</source>
        <translation>停滞</translation>
    </message>
    <message>
        <source>error</source>
        <translation>エラー</translation>
    </message>
    <message>
        <source>loading the data</source>
        <extracomment>What each set-up step of a run does (keys of ``aeviewer.training.setup.SETUP_STEPS``).</extracomment>
        <translation>データを読み込んでいます</translation>
    </message>
    <message>
        <source>splitting the data, building the model</source>
        <translation>データを分割し、モデルを構築しています</translation>
    </message>
    <message>
        <source>fitting the PCA baseline</source>
        <translation>PCA ベースラインを当てはめています</translation>
    </message>
    <message>
        <source>choosing the samples the views show</source>
        <translation>ビューに表示するサンプルを選んでいます</translation>
    </message>
    <message>
        <source>hashing the data for the run&apos;s record</source>
        <translation>実行の記録のためにデータのハッシュを計算しています</translation>
    </message>
    <message>
        <source>following a run ({0})</source>
        <extracomment>How often the set-up step is read while a run is prepared, in milliseconds.</extracomment>
        <translation>実行を追跡中({0})</translation>
    </message>
    <message>
        <source>waiting for the previous run to end</source>
        <translation>前の実行の終了を待っています</translation>
    </message>
    <message>
        <source>model loaded: Start continues it</source>
        <translation>モデル読み込み済み: 開始で続きを学習します</translation>
    </message>
    <message>
        <source>device {0}</source>
        <extracomment>Qt&apos;s QWIDGETSIZE_MAX, the largest size a widget may have (PySide6 does not export it). Busy while a run is being prepared (data split, model, PCA baseline).</extracomment>
        <translation>デバイス {0}</translation>
    </message>
    <message>
        <source>the previous run stops at its next batch …</source>
        <translation>前の実行は次のバッチで停止します…</translation>
    </message>
    <message>
        <source>preparing: splitting the data, building the model, fitting PCA …</source>
        <translation>準備中: データ分割、モデル構築、PCA の当てはめ…</translation>
    </message>
    <message>
        <source>preparing ({0}/{1}): {2} …</source>
        <translation>準備中 ({0}/{1}): {2}…</translation>
    </message>
    <message>
        <source>epoch {0}/{1} · batch {2}/{3}</source>
        <translation>エポック {0}/{1} · バッチ {2}/{3}</translation>
    </message>
    <message>
        <source>{0} samples/s</source>
        <translation>{0} サンプル/秒</translation>
    </message>
    <message>
        <source>ETA {0}</source>
        <translation>残り {0}</translation>
    </message>
</context>
<context>
    <name>ViewExport</name>
    <message>
        <source>Export</source>
        <translation>書き出し</translation>
    </message>
    <message>
        <source>Plot as PNG…</source>
        <translation>グラフを PNG で…</translation>
    </message>
    <message>
        <source>Plot as SVG…</source>
        <translation>グラフを SVG で…</translation>
    </message>
    <message>
        <source>Numbers as CSV…</source>
        <translation>数値を CSV で…</translation>
    </message>
    <message>
        <source>Numbers as NPY…</source>
        <translation>数値を NPY で…</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>書き出しに失敗しました</translation>
    </message>
</context>
<context>
    <name>Views</name>
    <message>
        <source>Loss</source>
        <extracomment>The views&apos; titles (English, the keys of settings and sessions), marked for translation.</extracomment>
        <translation>損失</translation>
    </message>
    <message>
        <source>Latent space</source>
        <translation>潜在空間</translation>
    </message>
    <message>
        <source>Reconstructions</source>
        <translation>再構成</translation>
    </message>
    <message>
        <source>Anomalies</source>
        <translation>異常検知</translation>
    </message>
    <message>
        <source>GAN</source>
        <translation>GAN</translation>
    </message>
    <message>
        <source>PCA baseline</source>
        <translation>PCA ベースライン</translation>
    </message>
</context>
</TS>
