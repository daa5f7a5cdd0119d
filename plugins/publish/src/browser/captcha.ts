// The altcha widget (<altcha-widget>), bundled here: the captcha page loads nothing from elsewhere.
import 'altcha';
