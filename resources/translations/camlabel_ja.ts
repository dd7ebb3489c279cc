<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ja_JP">
<context>
    <name>QObject</name>
    <message>
        <location filename="../../ui/label_window.cpp" line="48" />
        <source>1 label</source>
        <translation>ラベル 1 件</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="48" />
        <source>%1 labels</source>
        <translation>ラベル %1 件</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="52" />
        <source>lung window</source>
        <translation>肺野条件</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="53" />
        <source>mediastinal window</source>
        <translation>縦隔条件</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="54" />
        <source>bone window</source>
        <translation>骨条件</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="55" />
        <source>window %1</source>
        <translation>ウィンドウ %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="66" />
        <source>&lt;h2&gt;Keys&lt;/h2&gt;&lt;p&gt;&lt;b&gt;0-9&lt;/b&gt; label the image and go to the next unlabelled one&lt;br&gt;&lt;b&gt;S&lt;/b&gt; skip &amp;nbsp; &lt;b&gt;Left/Right&lt;/b&gt; previous/next &amp;nbsp; &lt;b&gt;Ctrl+Z&lt;/b&gt; undo&lt;br&gt;&lt;b&gt;C&lt;/b&gt; heatmap overlay &amp;nbsp; &lt;b&gt;V&lt;/b&gt; compare before and after &amp;nbsp; &lt;b&gt;K&lt;/b&gt; common scale &amp;nbsp; &lt;b&gt;T&lt;/b&gt; training panel&lt;br&gt;&lt;b&gt;F1-F4&lt;/b&gt; lung, mediastinal, bone, image's own window&lt;br&gt;&lt;b&gt;H&lt;/b&gt; this help &amp;nbsp; &lt;b&gt;Q&lt;/b&gt; close (every label is already saved)&lt;/p&gt;</source>
        <translation>&lt;h2&gt;キー&lt;/h2&gt;&lt;p&gt;&lt;b&gt;0-9&lt;/b&gt; 画像にラベルを付けて次の未ラベル画像へ&lt;br&gt;&lt;b&gt;S&lt;/b&gt; スキップ &amp;nbsp; &lt;b&gt;←/→&lt;/b&gt; 前/次 &amp;nbsp; &lt;b&gt;Ctrl+Z&lt;/b&gt; 取り消し&lt;br&gt;&lt;b&gt;C&lt;/b&gt; ヒートマップ表示 &amp;nbsp; &lt;b&gt;V&lt;/b&gt; 学習前と学習後を比較 &amp;nbsp; &lt;b&gt;K&lt;/b&gt; 共通スケール &amp;nbsp; &lt;b&gt;T&lt;/b&gt; 学習パネル&lt;br&gt;&lt;b&gt;F1-F4&lt;/b&gt; 肺野、縦隔、骨、画像固有のウィンドウ&lt;br&gt;&lt;b&gt;H&lt;/b&gt; このヘルプ &amp;nbsp; &lt;b&gt;Q&lt;/b&gt; 閉じる (ラベルはすべて保存済み)&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="74" />
        <source>&lt;h2&gt;Classes&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;分類&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="76" />
        <source>&lt;b&gt;%1&lt;/b&gt; %2&lt;br&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; %2&lt;br&gt;</translation>
    </message>
</context>
<context>
    <name>camlabel</name>
    <message>
        <location filename="../../ui/window_presets.cpp" line="20" />
        <source>&amp;Lung window</source>
        <translation>肺野条件(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/window_presets.cpp" line="21" />
        <source>&amp;Mediastinal window</source>
        <translation>縦隔条件(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../ui/window_presets.cpp" line="23" />
        <source>&amp;Bone window</source>
        <translation>骨条件(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../ui/window_presets.cpp" line="29" />
        <source>&amp;Image's own window</source>
        <translation>画像固有のウィンドウ(&amp;I)</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::ClassPanel</name>
    <message>
        <location filename="../../ui/class_panel.cpp" line="8" />
        <source>Classes</source>
        <translation>分類</translation>
    </message>
    <message>
        <location filename="../../ui/class_panel.cpp" line="21" />
        <source>Classes (%1)</source>
        <translation>分類 (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/class_panel.cpp" line="24" />
        <source>%1   %2</source>
        <translation>%1   %2</translation>
    </message>
    <message>
        <location filename="../../ui/class_panel.cpp" line="39" />
        <source>Not labelled yet: press a key.</source>
        <translation>未ラベル: キーを押してください。</translation>
    </message>
    <message>
        <location filename="../../ui/class_panel.cpp" line="41" />
        <source>Skipped.</source>
        <translation>スキップ済み。</translation>
    </message>
    <message>
        <location filename="../../ui/class_panel.cpp" line="43" />
        <source>Labelled %1.</source>
        <translation>ラベル: %1。</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::LabelWindow</name>
    <message>
        <location filename="../../ui/label_window.cpp" line="186" />
        <source>Training</source>
        <translation>学習</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="192" />
        <source>Rolling back to v%1...</source>
        <translation>v%1 に戻しています...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="206" />
        <source>camlabel - %1</source>
        <translation>camlabel - %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="209" />
        <source>Opening the project...</source>
        <translation>プロジェクトを開いています...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="210" />
        <source>The model is loading.</source>
        <translation>モデルを読み込んでいます。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="211" />
        <source>Opening %1...</source>
        <translation>%1 を開いています...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="229" />
        <source>Model v%1 is current again; %2 later labels are being trained again.</source>
        <translation>モデル v%1 を現行に戻しました。その後のラベル %2 件を再学習しています。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="236" />
        <source>No rollback: %1</source>
        <translation>戻せません: %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="254" />
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="255" />
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="258" />
        <source>&amp;Label</source>
        <translation>ラベル(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="260" />
        <source>Class %1</source>
        <translation>分類 %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="267" />
        <source>&amp;Skip</source>
        <translation>スキップ(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="269" />
        <source>&amp;Undo the last label</source>
        <translation>直前のラベルを取り消す(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="272" />
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="273" />
        <source>&amp;Next image</source>
        <translation>次の画像(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="275" />
        <source>&amp;Previous image</source>
        <translation>前の画像(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="278" />
        <source>&amp;Heatmap overlay (Grad-CAM)</source>
        <translation>ヒートマップ表示 (Grad-CAM)(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="282" />
        <source>&amp;Compare before and after</source>
        <translation>学習前と学習後を比較(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="286" />
        <source>&amp;Training panel</source>
        <translation>学習パネル(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="290" />
        <source>Heatmaps on a common &amp;scale</source>
        <translation>ヒートマップを共通スケールで表示(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="299" />
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="300" />
        <source>&amp;Keys and classes</source>
        <translation>キーと分類(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="399" />
        <source>&amp;%1 %2</source>
        <translation>&amp;%1 %2</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="408" />
        <source>The project has no images yet: import some with camlabel-cli import.</source>
        <translation>プロジェクトに画像がありません: camlabel-cli import で取り込んでください。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="410" />
        <source>No image.</source>
        <translation>画像なし。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="411" />
        <source>The project has no images.</source>
        <translation>プロジェクトに画像がありません。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="424" />
        <source>at image %1 of %2</source>
        <translation>%2 枚中 %1 枚目</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="426" />
        <source>model v%1 (%2 in the project)</source>
        <translation>モデル v%1 (プロジェクト内 %2)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="430" />
        <source>%1 to train again</source>
        <translation>再学習 %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="432" />
        <source>Opened %1.</source>
        <translation>%1 を開きました。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="433" />
        <source>Resumed %1.</source>
        <translation>再開しました: %1。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="435" />
        <source> Damaged model versions skipped: %1.</source>
        <translation> 破損したモデル版をスキップ: %1。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="450" />
        <source>Cannot open the project.

%1</source>
        <translation>プロジェクトを開けません。

%1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="451" />
        <source>No project is open.</source>
        <translation>プロジェクトが開かれていません。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="497" />
        <source>Loading...</source>
        <translation>読み込み中...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="498" />
        <source>Predicting...</source>
        <translation>予測中...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="509" />
        <source>Wait for the image to appear before labelling it.</source>
        <translation>画像が表示されてからラベルを付けてください。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="510" />
        <source>This image cannot be shown, so it cannot be labelled: press S to skip it or Right to go on.</source>
        <translation>この画像は表示できないためラベルを付けられません: S でスキップするか → で次へ進んでください。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="521" />
        <source>Image %1 labelled %2.</source>
        <translation>画像 %1 に %2 を付けました。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="525" />
        <source>Image %1 labelled %2. Every image has a label now.</source>
        <translation>画像 %1 に %2 を付けました。すべての画像にラベルが付きました。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="541" />
        <source>Image %1 skipped.</source>
        <translation>画像 %1 をスキップしました。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="544" />
        <source>Image %1 skipped. Every image has a decision now.</source>
        <translation>画像 %1 をスキップしました。すべての画像が判定済みです。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="556" />
        <source>Nothing to undo.</source>
        <translation>取り消す操作がありません。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="561" />
        <source>Undid the last decision, on image %1.</source>
        <translation>画像 %1 の直前の判定を取り消しました。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="607" />
        <source>%1

Press S to skip this image or Right to go on.</source>
        <translation>%1

S でこの画像をスキップするか → で次へ進んでください。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="608" />
        <source>No prediction: the image cannot be read.</source>
        <translation>予測なし: 画像を読み込めません。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="630" />
        <source>No prediction: %1</source>
        <translation>予測なし: %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="649" />
        <source>Heatmap: Grad-CAM for %1 (%2%), model %3. Checks: %4.</source>
        <translation>ヒートマップ: %1 の Grad-CAM (%2%)、モデル %3。確認: %4。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="653" />
        <source>no warning signs</source>
        <translation>警告なし</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="661" />
        <source>No heatmap: %1</source>
        <translation>ヒートマップなし: %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="713" />
        <source>Heatmaps on a common scale: a weaker map looks weaker.</source>
        <translation>ヒートマップを共通スケールで表示: 弱い根拠は弱く見えます。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="714" />
        <source>Each heatmap on its own scale.</source>
        <translation>各ヒートマップを個別のスケールで表示。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="721" />
        <source>Before: computing...</source>
        <translation>学習前: 計算中...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="722" />
        <source>After: computing...</source>
        <translation>学習後: 計算中...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="738" />
        <source>Before: %1 - %2 (%3%)</source>
        <translation>学習前: %1 - %2 (%3%)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="742" />
        <source>After: model %1 - %2 (%3%)</source>
        <translation>学習後: モデル %1 - %2 (%3%)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="754" />
        <source>No comparison: %1</source>
        <translation>比較なし: %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="761" />
        <source>Computing the heatmap...</source>
        <translation>ヒートマップを計算中...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="801" />
        <source>Computing the heatmaps...</source>
        <translation>ヒートマップを計算中...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="824" />
        <source>Image %1 of %2</source>
        <translation>%2 枚中 %1 枚目</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="838" />
        <source>Labelled %1, skipped %2, unlabelled %3</source>
        <translation>ラベル済み %1、スキップ %2、未ラベル %3</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="851" />
        <source>Training: %1 queued, %2 seen</source>
        <translation>学習: 待機 %1、学習済み %2</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="852" />
        <source>, loss %1</source>
        <translation>、損失 %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="853" />
        <source> | Model %1</source>
        <translation> | モデル %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="857" />
        <source> | Training problem: %1</source>
        <translation> | 学習の問題: %1</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::PredictionPanel</name>
    <message>
        <location filename="../../ui/prediction_panel.cpp" line="18" />
        <source>Prediction</source>
        <translation>予測</translation>
    </message>
    <message>
        <location filename="../../ui/prediction_panel.cpp" line="39" />
        <source>No image.</source>
        <translation>画像なし。</translation>
    </message>
    <message>
        <location filename="../../ui/prediction_panel.cpp" line="56" />
        <source>Model: %1</source>
        <translation>モデル: %1</translation>
    </message>
    <message>
        <location filename="../../ui/prediction_panel.cpp" line="61" />
        <source>Untrained model: random weights (no ImageNet weights file is configured) that have not learned from any label yet. This prediction means nothing.</source>
        <translation>未学習のモデル: ランダムな重み (ImageNet の重みファイルが設定されていません) で、まだどのラベルからも学習していません。この予測には意味がありません。</translation>
    </message>
    <message>
        <location filename="../../ui/prediction_panel.cpp" line="65" />
        <source>Untrained model: the ImageNet model has not learned from any label yet. This prediction means nothing.</source>
        <translation>未学習のモデル: ImageNet モデルはまだどのラベルからも学習していません。この予測には意味がありません。</translation>
    </message>
    <message>
        <location filename="../../ui/prediction_panel.cpp" line="69" />
        <source>Started from random weights (no ImageNet weights file is configured): trust it only after many labels.</source>
        <translation>ランダムな重みから学習しています (ImageNet の重みファイルが設定されていません): 多くのラベルで学習するまで信頼しないでください。</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::SessionWorker</name>
    <message>
        <location filename="../../ui/session_worker.cpp" line="154" />
        <location filename="../../ui/session_worker.cpp" line="176" />
        <source>The model gave no heatmap.</source>
        <translation>モデルはヒートマップを出しませんでした。</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::SliceViewer</name>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="37" />
        <source>camlabel</source>
        <translation>camlabel</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="45" />
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="46" />
        <source>&amp;Open images...</source>
        <translation>画像を開く(&amp;O)...</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="49" />
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="52" />
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="53" />
        <source>&amp;Next image</source>
        <translation>次の画像(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="55" />
        <source>&amp;Previous image</source>
        <translation>前の画像(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="64" />
        <source>Open images</source>
        <translation>画像を開く</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="65" />
        <source>Images (*.dcm *.dicom *.png *.jpg *.jpeg *.tif *.tiff *.bmp);;All files (*)</source>
        <translation>画像 (*.dcm *.dicom *.png *.jpg *.jpeg *.tif *.tiff *.bmp);;すべてのファイル (*)</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="91" />
        <source>No images found.</source>
        <translation>画像が見つかりません。</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="153" />
        <source>Open CT images with Ctrl+O.</source>
        <translation>Ctrl+O で CT 画像を開いてください。</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="156" />
        <source>No image</source>
        <translation>画像なし</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="161" />
        <source>Image %1 of %2 - %3</source>
        <translation>%2 枚中 %1 枚目 - %3</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="164" />
        <source> - window %1</source>
        <translation> - ウィンドウ %1</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="166" />
        <source> - cannot be shown</source>
        <translation> - 表示できません</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::TrainingPanel</name>
    <message>
        <location filename="../../ui/training_panel.cpp" line="32" />
        <source>Learning curve</source>
        <translation>学習曲線</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="34" />
        <source>prequential accuracy (last 50 labels)</source>
        <translation>逐次正解率 (直近 50 ラベル)</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="36" />
        <source>mean loss per version</source>
        <translation>版ごとの平均損失</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="40" />
        <source>labels</source>
        <translation>ラベル数</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="44" />
        <source>accuracy</source>
        <translation>正解率</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="46" />
        <source>loss</source>
        <translation>損失</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="62" />
        <source>Model versions</source>
        <translation>モデルの版</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="65" />
        <source>Make the selected version current (roll back)</source>
        <translation>選択した版を現行にする (ロールバック)</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="85" />
        <source>Prequential accuracy: %1 over the last %2 labels, %3 overall (%4 labels with a prediction).</source>
        <translation>逐次正解率: 直近 %2 ラベルで %1、全体で %3 (予測付きラベル %4 件)。</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="92" />
        <source>No label with a prediction yet.</source>
        <translation>予測付きのラベルはまだありません。</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="104" />
        <source>v%1: %2 labels, %3</source>
        <translation>v%1: ラベル %2 件、%3</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="108" />
        <source> (current)</source>
        <translation> (現行)</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../../app/gui_main.cpp" line="61" />
        <source>Label CT slices while a model learns from them.</source>
        <translation>モデルに学習させながら CT 画像にラベルを付けます。</translation>
    </message>
    <message>
        <location filename="../../app/gui_main.cpp" line="66" />
        <source>Render the window to a PNG file and exit (for a project: once the first image and its prediction are shown).</source>
        <translation>ウィンドウを PNG ファイルに描画して終了します (プロジェクトでは最初の画像と予測の表示後)。</translation>
    </message>
    <message>
        <location filename="../../app/gui_main.cpp" line="75" />
        <source>resnet50 (default) or tiny.</source>
        <translation>resnet50 (既定) または tiny。</translation>
    </message>
    <message>
        <location filename="../../app/gui_main.cpp" line="81" />
        <source>User interface language: en or ja (default: the system's).</source>
        <translation>表示言語: en または ja (既定: システムの設定)。</translation>
    </message>
    <message>
        <location filename="../../app/gui_main.cpp" line="87" />
        <source>A project folder (holding project.sqlite) to label, or images or folders of images to show.</source>
        <translation>ラベルを付けるプロジェクトフォルダ (project.sqlite を含む)、または表示する画像や画像フォルダ。</translation>
    </message>
</context>
</TS>