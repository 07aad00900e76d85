<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
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
        <source>The language changes the next time aeviewer starts.</source>
        <translation>言語は aeviewer の次回起動時に切り替わります。</translation>
    </message>
</context>
<context>
    <name>LossView</name>
    <message>
        <source>Learning rate</source>
        <extracomment>The plot's title before a run starts. The pen of PCA's reference line. The shortest time between two redraws of the curves while data stream in. A redraw costs the GUI thread about 8 ms while training on 2 CPUs; at one a second instead of two its share of a core fell from about 4.2% to 2.6% (GUI-thread CPU time over steady epochs of the default model). The pens of the learning-rate curves, one per optimiser group in turn. The height of the learning-rate plot under the loss plot, in pixels. The width of the y axes of both plots, so that their x axes line up. A term this many times larger than the total loss starts hidden. Colours of the loss terms, in order of first appearance.</extracomment>
        <translation>学習率</translation>
    </message>
    <message>
        <source>Show the learning rate that the schedule set, epoch by epoch, under the loss</source>
        <translation>スケジュールが設定した学習率をエポックごとに損失の下に表示します</translation>
    </message>
    <message>
        <source>learning rate</source>
        <extracomment>Says which curves are hidden and how to show them.</extracomment>
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
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>the defaults</source>
        <translation>既定値</translation>
    </message>
    <message>
        <source>Data</source>
        <extracomment>How the last run ended (Finished.reason, or "failed"), for the status bar. The data preparation of an opened run, session or model, applied to its source. The GUI thread's CPU copy of the current model (decoding, export, sessions).</extracomment>
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
        <source>Export CSV…</source>
        <extracomment>Column headings of the figures (settings keep their config names).</extracomment>
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
        <source>following a run ({0})</source>
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
        <extracomment>Qt's QWIDGETSIZE_MAX, the largest size a widget may have (PySide6 does not export it). Busy while a run is being prepared (data split, model, PCA baseline).</extracomment>
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
    <name>Views</name>
    <message>
        <source>Loss</source>
        <extracomment>The views' titles (English, the keys of settings and sessions), marked for translation.</extracomment>
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