<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ja_JP">
<context>
    <name>QObject</name>
    <message>
        <location filename="../../ui/label_window.cpp" line="46" />
        <source>1 label</source>
        <translation>ラベル 1 件</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="46" />
        <source>%1 labels</source>
        <translation>ラベル %1 件</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="50" />
        <source>lung window</source>
        <translation>肺野条件</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="51" />
        <source>mediastinal window</source>
        <translation>縦隔条件</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="52" />
        <source>bone window</source>
        <translation>骨条件</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="53" />
        <source>window %1</source>
        <translation>ウィンドウ %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="64" />
        <source>&lt;h2&gt;Keys&lt;/h2&gt;&lt;p&gt;&lt;b&gt;0-9&lt;/b&gt; label the image and go to the next unlabelled one&lt;br&gt;&lt;b&gt;S&lt;/b&gt; skip &amp;nbsp; &lt;b&gt;Left/Right&lt;/b&gt; previous/next &amp;nbsp; &lt;b&gt;Ctrl+Z&lt;/b&gt; undo&lt;br&gt;&lt;b&gt;C&lt;/b&gt; heatmap overlay &amp;nbsp; &lt;b&gt;V&lt;/b&gt; compare before and after &amp;nbsp; &lt;b&gt;K&lt;/b&gt; common scale&lt;br&gt;&lt;b&gt;F1-F4&lt;/b&gt; lung, mediastinal, bone, image's own window&lt;br&gt;&lt;b&gt;H&lt;/b&gt; this help &amp;nbsp; &lt;b&gt;Q&lt;/b&gt; close (every label is already saved)&lt;/p&gt;</source>
        <translation>&lt;h2&gt;キー&lt;/h2&gt;&lt;p&gt;&lt;b&gt;0-9&lt;/b&gt; 画像にラベルを付けて次の未ラベル画像へ&lt;br&gt;&lt;b&gt;S&lt;/b&gt; スキップ &amp;nbsp; &lt;b&gt;←/→&lt;/b&gt; 前/次 &amp;nbsp; &lt;b&gt;Ctrl+Z&lt;/b&gt; 取り消し&lt;br&gt;&lt;b&gt;C&lt;/b&gt; ヒートマップ表示 &amp;nbsp; &lt;b&gt;V&lt;/b&gt; 学習前と学習後を比較 &amp;nbsp; &lt;b&gt;K&lt;/b&gt; 共通スケール&lt;br&gt;&lt;b&gt;F1-F4&lt;/b&gt; 肺野、縦隔、骨、画像固有のウィンドウ&lt;br&gt;&lt;b&gt;H&lt;/b&gt; このヘルプ &amp;nbsp; &lt;b&gt;Q&lt;/b&gt; 閉じる (ラベルはすべて保存済み)&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="72" />
        <source>&lt;h2&gt;Classes&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;分類&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="74" />
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
        <location filename="../../ui/label_window.cpp" line="188" />
        <source>camlabel - %1</source>
        <translation>camlabel - %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="191" />
        <source>Opening the project...</source>
        <translation>プロジェクトを開いています...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="192" />
        <source>The model is loading.</source>
        <translation>モデルを読み込んでいます。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="193" />
        <source>Opening %1...</source>
        <translation>%1 を開いています...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="225" />
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="226" />
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="229" />
        <source>&amp;Label</source>
        <translation>ラベル(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="231" />
        <source>Class %1</source>
        <translation>分類 %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="238" />
        <source>&amp;Skip</source>
        <translation>スキップ(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="240" />
        <source>&amp;Undo the last label</source>
        <translation>直前のラベルを取り消す(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="243" />
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="244" />
        <source>&amp;Next image</source>
        <translation>次の画像(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="246" />
        <source>&amp;Previous image</source>
        <translation>前の画像(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="249" />
        <source>&amp;Heatmap overlay (Grad-CAM)</source>
        <translation>ヒートマップ表示 (Grad-CAM)(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="253" />
        <source>&amp;Compare before and after</source>
        <translation>学習前と学習後を比較(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="257" />
        <source>Heatmaps on a common &amp;scale</source>
        <translation>ヒートマップを共通スケールで表示(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="266" />
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="267" />
        <source>&amp;Keys and classes</source>
        <translation>キーと分類(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="360" />
        <source>&amp;%1 %2</source>
        <translation>&amp;%1 %2</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="369" />
        <source>The project has no images yet: import some with camlabel-cli import.</source>
        <translation>プロジェクトに画像がありません: camlabel-cli import で取り込んでください。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="371" />
        <source>No image.</source>
        <translation>画像なし。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="372" />
        <source>The project has no images.</source>
        <translation>プロジェクトに画像がありません。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="385" />
        <source>at image %1 of %2</source>
        <translation>%2 枚中 %1 枚目</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="387" />
        <source>model v%1 (%2 in the project)</source>
        <translation>モデル v%1 (プロジェクト内 %2)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="391" />
        <source>%1 to train again</source>
        <translation>再学習 %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="393" />
        <source>Opened %1.</source>
        <translation>%1 を開きました。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="394" />
        <source>Resumed %1.</source>
        <translation>再開しました: %1。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="396" />
        <source> Damaged model versions skipped: %1.</source>
        <translation> 破損したモデル版をスキップ: %1。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="411" />
        <source>Cannot open the project.

%1</source>
        <translation>プロジェクトを開けません。

%1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="412" />
        <source>No project is open.</source>
        <translation>プロジェクトが開かれていません。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="458" />
        <source>Loading...</source>
        <translation>読み込み中...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="459" />
        <source>Predicting...</source>
        <translation>予測中...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="470" />
        <source>Wait for the image to appear before labelling it.</source>
        <translation>画像が表示されてからラベルを付けてください。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="471" />
        <source>This image cannot be shown, so it cannot be labelled: press S to skip it or Right to go on.</source>
        <translation>この画像は表示できないためラベルを付けられません: S でスキップするか → で次へ進んでください。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="482" />
        <source>Image %1 labelled %2.</source>
        <translation>画像 %1 に %2 を付けました。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="486" />
        <source>Image %1 labelled %2. Every image has a label now.</source>
        <translation>画像 %1 に %2 を付けました。すべての画像にラベルが付きました。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="502" />
        <source>Image %1 skipped.</source>
        <translation>画像 %1 をスキップしました。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="505" />
        <source>Image %1 skipped. Every image has a decision now.</source>
        <translation>画像 %1 をスキップしました。すべての画像が判定済みです。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="517" />
        <source>Nothing to undo.</source>
        <translation>取り消す操作がありません。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="522" />
        <source>Undid the last decision, on image %1.</source>
        <translation>画像 %1 の直前の判定を取り消しました。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="568" />
        <source>%1

Press S to skip this image or Right to go on.</source>
        <translation>%1

S でこの画像をスキップするか → で次へ進んでください。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="569" />
        <source>No prediction: the image cannot be read.</source>
        <translation>予測なし: 画像を読み込めません。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="591" />
        <source>No prediction: %1</source>
        <translation>予測なし: %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="610" />
        <source>Heatmap: Grad-CAM for %1 (%2%), model %3. Checks: %4.</source>
        <translation>ヒートマップ: %1 の Grad-CAM (%2%)、モデル %3。確認: %4。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="614" />
        <source>no warning signs</source>
        <translation>警告なし</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="622" />
        <source>No heatmap: %1</source>
        <translation>ヒートマップなし: %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="649" />
        <source>Heatmaps on a common scale: a weaker map looks weaker.</source>
        <translation>ヒートマップを共通スケールで表示: 弱い根拠は弱く見えます。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="650" />
        <source>Each heatmap on its own scale.</source>
        <translation>各ヒートマップを個別のスケールで表示。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="657" />
        <source>Before: computing...</source>
        <translation>学習前: 計算中...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="658" />
        <source>After: computing...</source>
        <translation>学習後: 計算中...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="674" />
        <source>Before: %1 - %2 (%3%)</source>
        <translation>学習前: %1 - %2 (%3%)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="678" />
        <source>After: model %1 - %2 (%3%)</source>
        <translation>学習後: モデル %1 - %2 (%3%)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="690" />
        <source>No comparison: %1</source>
        <translation>比較なし: %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="697" />
        <source>Computing the heatmap...</source>
        <translation>ヒートマップを計算中...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="737" />
        <source>Computing the heatmaps...</source>
        <translation>ヒートマップを計算中...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="760" />
        <source>Image %1 of %2</source>
        <translation>%2 枚中 %1 枚目</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="774" />
        <source>Labelled %1, skipped %2, unlabelled %3</source>
        <translation>ラベル済み %1、スキップ %2、未ラベル %3</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="787" />
        <source>Training: %1 queued, %2 seen</source>
        <translation>学習: 待機 %1、学習済み %2</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="788" />
        <source>, loss %1</source>
        <translation>、損失 %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="789" />
        <source> | Model %1</source>
        <translation> | モデル %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="793" />
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
        <location filename="../../ui/session_worker.cpp" line="139" />
        <location filename="../../ui/session_worker.cpp" line="161" />
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